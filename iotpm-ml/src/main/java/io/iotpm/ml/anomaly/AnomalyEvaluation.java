package io.iotpm.ml.anomaly;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LabelledWindow;
import io.iotpm.ml.TrainingSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Honest measures of an {@link AnomalyDetector} on data it never saw: how well its score ranks
 * windows before failures (ROC-AUC, comparable with a supervised model's on the same windows), and,
 * on run-to-failure series, how early before the failure the score crosses its threshold and how
 * often it does so in early life (false alarms).
 */
public final class AnomalyEvaluation {

    private AnomalyEvaluation() {
    }

    /**
     * How a detector did on run-to-failure series.
     *
     * @param devices         devices with a failure
     * @param detected        devices whose alarm came after early life and before the failure
     * @param leadTimes       per detected device, steps from the alarm to the failure, in device order
     * @param medianLeadTime  median of {@code leadTimes}, NaN when none was detected
     * @param earlyWindows    windows ending in early life (before {@code earlySteps})
     * @param falseAlarmRate  fraction of those at or above the threshold
     */
    public record LeadTimes(int devices, int detected, List<Double> leadTimes, double medianLeadTime,
                            int earlyWindows, double falseAlarmRate) {

        /** Copies the list. */
        public LeadTimes {
            leadTimes = List.copyOf(leadTimes);
        }
    }

    /**
     * ROC-AUC of the score for "a failure within the detector's horizon" over every window of the
     * data (cut as {@link TrainingSet#windows(int, int, int)} cuts them, with the detector's sequence
     * length and horizon).
     *
     * @param detector a trained detector
     * @param data     labelled data, e.g. devices the detector never saw
     * @param stride   steps between window ends
     * @return the area; NaN when the windows are all of one class
     * @throws IllegalArgumentException if the data yields no window
     */
    public static double rocAuc(AnomalyDetector detector, TrainingSet data, int stride) {
        AutoencoderConfig c = detector.config();
        List<LabelledWindow> ws = data.windows(c.sequenceLength(), stride, c.horizon());
        if (ws.isEmpty()) {
            throw new IllegalArgumentException("the data yields no window of " + c.sequenceLength() + " readings");
        }
        boolean[] actual = new boolean[ws.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = ws.get(i).failureWithinHorizon();
        }
        return Evaluation.rocAuc(actual, detector.scores(ws));
    }

    /**
     * Lead times and early-life false alarms on run-to-failure series (each device ends in one
     * failure, as C-MAPSS' training engines do). Every window (stride 1) is scored. The alarm of a
     * device is the first run of {@code persistence} consecutive windows at or above the threshold
     * that starts after early life; its lead time is the remaining useful life at the run's last
     * window (when the alarm is raised). Windows ending in early life count for the false-alarm rate.
     *
     * @param detector    a trained detector
     * @param runs        run-to-failure series the detector never saw
     * @param earlySteps  readings from each device's start that count as early life (healthy)
     * @param persistence consecutive windows at or above the threshold that raise the alarm, {@code >= 1}
     * @return the lead times and false-alarm rate
     * @throws IllegalArgumentException if {@code persistence < 1} or {@code earlySteps < 0}
     */
    public static LeadTimes leadTimes(AnomalyDetector detector, TrainingSet runs, int earlySteps, int persistence) {
        Objects.requireNonNull(detector, "detector");
        if (persistence < 1 || earlySteps < 0) {
            throw new IllegalArgumentException("persistence must be >= 1 and earlySteps >= 0, but were " + persistence
                    + " and " + earlySteps);
        }
        AutoencoderConfig c = detector.config();
        List<LabelledWindow> ws = runs.windows(c.sequenceLength(), 1, c.horizon());
        double[] scores = detector.scores(ws);
        double threshold = detector.threshold();
        Map<String, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < ws.size(); i++) {
            byDevice.computeIfAbsent(ws.get(i).deviceId(), k -> new ArrayList<>()).add(i);
        }
        int devices = 0;
        int early = 0;
        int falseAlarms = 0;
        List<Double> leads = new ArrayList<>();
        for (List<Integer> idx : byDevice.values()) {
            boolean failing = idx.stream().anyMatch(i -> !Double.isNaN(ws.get(i).remainingUsefulLife()));
            devices += failing ? 1 : 0;
            int run = 0;
            boolean alarmed = false;
            for (int i : idx) {
                LabelledWindow w = ws.get(i);
                boolean above = scores[i] >= threshold;
                if (w.endIndex() < earlySteps) {
                    early++;
                    falseAlarms += above ? 1 : 0;
                    continue;
                }
                run = above ? run + 1 : 0;
                if (!alarmed && failing && run >= persistence && !Double.isNaN(w.remainingUsefulLife())) {
                    leads.add(w.remainingUsefulLife());
                    alarmed = true;
                }
            }
        }
        double median = Double.NaN;
        if (!leads.isEmpty()) {
            double[] sorted = leads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
        return new LeadTimes(devices, leads.size(), leads, median, early,
                early == 0 ? Double.NaN : (double) falseAlarms / early);
    }

    /**
     * The first {@code steps} readings of every device (by time): the early life a detector trains
     * on when only healthy history may be used.
     *
     * @param readings readings of any devices, any order
     * @param steps    readings to keep per device, {@code >= 1}
     * @return the kept readings, device by device, oldest first
     * @throws IllegalArgumentException if {@code steps < 1}
     */
    public static List<SensorReading> earlyLife(List<SensorReading> readings, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, but was " + steps);
        }
        Map<String, List<SensorReading>> byDevice = new LinkedHashMap<>();
        for (SensorReading r : readings) {
            byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        List<SensorReading> out = new ArrayList<>();
        for (List<SensorReading> rs : byDevice.values()) {
            SensorReading[] sorted = rs.toArray(new SensorReading[0]);
            Arrays.sort(sorted, Comparator.comparing(SensorReading::timestamp));
            out.addAll(Arrays.asList(sorted).subList(0, Math.min(steps, sorted.length)));
        }
        return out;
    }
}
