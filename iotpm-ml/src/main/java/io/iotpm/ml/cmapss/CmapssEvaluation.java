package io.iotpm.ml.cmapss;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.EnsemblePredictor;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.RegressionMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Scores trained ensembles on {@link ProtocolCases}: the binary protocol (from a classifier, from an
 * RUL model, or from both combined) and the RUL protocol, plus the held-out split used to choose
 * every setting without reading the test files.
 */
public final class CmapssEvaluation {

    private CmapssEvaluation() {
    }

    /**
     * A split of the training engines into kept and held-out ones.
     *
     * @param kept engines to train on, sorted
     * @param held engines to validate on, sorted
     */
    public record Split(List<String> kept, List<String> held) {
    }

    /**
     * The combined binary decision: its threshold, its metrics on the scored cases and the 95 % bootstrap
     * interval of its F1 (see {@link #f1Interval}).
     */
    public record Combined(double threshold, ClassificationMetrics metrics, Interval f1Interval) {
    }

    /**
     * A 95 % percentile-bootstrap interval of a metric: the engines are resampled with replacement
     * ({@value #RESAMPLES} times, a fixed seed, so it is reproducible), every window of a drawn engine
     * coming along, because the windows of one engine are not independent. It says how much the
     * metric would move on another draw of as many engines, which is what separates a real gain from
     * the luck of which engines were scored.
     *
     * @param low  the 2.5th percentile
     * @param high the 97.5th percentile
     */
    public record Interval(double low, double high) {
        /** @return {@code [low, high]} with two decimals, for reports */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[%.2f, %.2f]", low, high);
        }
    }

    /** Bootstrap resamples behind an {@link Interval}. */
    public static final int RESAMPLES = 2000;

    /**
     * Holds out training engines, with a split of its own so every variant is judged on the same engines.
     *
     * @param engineIds the training engines
     * @param holdout   how many to hold out, in [1, engines)
     * @param splitSeed seed of the shuffle
     * @return the kept and held-out engines
     * @throws IllegalArgumentException if {@code holdout} leaves no engine to train on
     */
    public static Split holdOut(List<String> engineIds, int holdout, long splitSeed) {
        List<String> ids = new ArrayList<>(engineIds);
        if (holdout < 1 || holdout >= ids.size()) {
            throw new IllegalArgumentException("holdout must be in [1, " + ids.size() + ") training engines, but was "
                    + holdout);
        }
        SplittableRandom rnd = new SplittableRandom(splitSeed);
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            ids.set(j, ids.set(i, ids.get(j)));
        }
        return new Split(ids.subList(holdout, ids.size()).stream().sorted().toList(),
                ids.subList(0, holdout).stream().sorted().toList());
    }

    /**
     * The binary metrics of a classifier ensemble (at its own threshold) or of an RUL ensemble (at its
     * probability for RUL = horizon, so this is the rule "RUL &lt;= horizon").
     *
     * @param model a classifier or RUL ensemble
     * @param cases the cases to score
     * @return the metrics
     */
    public static ClassificationMetrics binary(EnsemblePredictor model, ProtocolCases cases) {
        return Evaluation.classification(cases.labels(), probabilities(model, cases), model.threshold());
    }

    /**
     * As {@link #binary(EnsemblePredictor, ProtocolCases)} for each member of an ensemble.
     *
     * @param model the ensemble
     * @param cases the cases to score
     * @return one result per member, in member order
     */
    public static List<ClassificationMetrics> binaryPerMember(EnsemblePredictor model, ProtocolCases cases) {
        return model.members().stream().map(m -> Evaluation.classification(cases.labels(), probabilities(m, cases),
                m.threshold())).toList();
    }

    /**
     * Binary from both ensembles: the mean of the classifier's probability and the RUL model's
     * monotone score. The threshold is chosen like a classifier ensemble's: for each member pair
     * (same seed), the best-F1 threshold on the windows of the training engines both members held
     * out for validation, then the mean; the cases being scored play no part in it.
     *
     * @param classifier      the classifier ensemble
     * @param regressor       the RUL ensemble, with as many members
     * @param trainingEngines readings of every training engine, by engine id
     * @param cases           the cases to score
     * @return the threshold and the metrics
     */
    public static Combined combined(EnsemblePredictor classifier, EnsemblePredictor regressor,
                                    Map<String, List<SensorReading>> trainingEngines, ProtocolCases cases) {
        List<boolean[]> labels = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (int i = 0; i < classifier.members().size(); i++) {
            LstmPredictor c = classifier.members().get(i);
            LstmPredictor r = regressor.members().get(i);
            Map<String, List<SensorReading>> val = new LinkedHashMap<>();
            for (String id : c.report().validationDevices()) {
                if (r.report().validationDevices().contains(id) && trainingEngines.containsKey(id)) {
                    val.put(id, trainingEngines.get(id));
                }
            }
            ProtocolCases v = ProtocolCases.allWindows(val, c.minHistory(), CmapssSettings.BINARY_WINDOW);
            labels.add(v.labels());
            scores.add(combine(probabilities(c, v), probabilities(r, v)));
        }
        double threshold = combinedThreshold(labels, scores);
        double[] score = combinedScores(classifier, regressor, cases);
        return new Combined(threshold, Evaluation.classification(cases.labels(), score, threshold),
                f1Interval(cases, score, threshold));
    }

    /**
     * Per case, the combined score {@link #combined} compares with its threshold: the mean of the
     * classifier's probability and the RUL model's monotone score.
     *
     * @param classifier the classifier ensemble
     * @param regressor  the RUL ensemble
     * @param cases      the cases to score
     * @return one score per case, in case order
     */
    public static double[] combinedScores(EnsemblePredictor classifier, EnsemblePredictor regressor,
                                          ProtocolCases cases) {
        return combine(probabilities(classifier, cases), probabilities(regressor, cases));
    }

    /**
     * Per case, a model's failure probability (for an RUL model, its monotone score, 0.5 at the
     * horizon), which {@link #binary} compares with the model's threshold.
     *
     * @param model a classifier or RUL predictor or ensemble
     * @param cases the cases to score
     * @return one probability per case, in case order
     */
    public static double[] probabilities(Predictor model, ProtocolCases cases) {
        return model.predictBatch(cases.windows()).stream().mapToDouble(Prediction::failureProbability).toArray();
    }

    /**
     * Per case, a model's estimated RUL, which {@link #regression} compares with the capped truth.
     *
     * @param model an RUL predictor or ensemble
     * @param cases the cases to score
     * @return one estimate per case, in case order
     */
    public static double[] rulEstimates(Predictor model, ProtocolCases cases) {
        return rul(model, cases);
    }

    /**
     * The 95 % bootstrap interval over engines of a classifier or RUL ensemble's binary F1, at the
     * threshold {@link #binary(EnsemblePredictor, ProtocolCases)} uses.
     *
     * @param model a classifier or RUL ensemble
     * @param cases the cases to score
     * @return the interval
     */
    public static Interval f1Interval(EnsemblePredictor model, ProtocolCases cases) {
        return f1Interval(cases, probabilities(model, cases), model.threshold());
    }

    static Interval f1Interval(ProtocolCases cases, double[] score, double threshold) {
        boolean[] actual = cases.labels();
        return engineBootstrap(cases, idx -> {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i : idx) {
                boolean predicted = score[i] >= threshold;
                if (predicted && actual[i]) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (actual[i]) {
                    fn++;
                }
            }
            return tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
        });
    }

    /**
     * The 95 % bootstrap interval over engines of the RUL protocol's RMSE.
     *
     * @param model an RUL predictor or ensemble
     * @param cases the cases to score
     * @return the interval
     */
    public static Interval rmseInterval(Predictor model, ProtocolCases cases) {
        return rmseInterval(cases, rul(model, cases));
    }

    static Interval rmseInterval(ProtocolCases cases, double[] estimate) {
        return engineBootstrap(cases, idx -> Math.sqrt(meanSquaredError(idx, estimate, cases.rul())));
    }

    /** Resamples engines, not windows; metrics that are undefined on a draw (NaN) are left out. */
    static Interval engineBootstrap(ProtocolCases cases, ToDoubleFunction<int[]> metric) {
        List<int[]> engines = engines(cases);
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("no case to resample");
        }
        SplittableRandom rnd = new SplittableRandom(1);
        double[] values = new double[RESAMPLES];
        int kept = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            int size = 0;
            int[][] drawn = new int[engines.size()][];
            for (int e = 0; e < drawn.length; e++) {
                drawn[e] = engines.get(rnd.nextInt(engines.size()));
                size += drawn[e].length;
            }
            int[] idx = new int[size];
            int at = 0;
            for (int[] d : drawn) {
                System.arraycopy(d, 0, idx, at, d.length);
                at += d.length;
            }
            double v = metric.applyAsDouble(idx);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        if (kept == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        return new Interval(sorted[(int) Math.floor(0.025 * (kept - 1))], sorted[(int) Math.ceil(0.975 * (kept - 1))]);
    }

    /**
     * Window by window, the mean of a classifier's probability and an RUL model's monotone score.
     *
     * @param probability the classifier's probabilities
     * @param rulScore    the RUL model's scores, as many
     * @return the means
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double[] combine(double[] probability, double[] rulScore) {
        if (probability.length != rulScore.length) {
            throw new IllegalArgumentException("cannot combine " + probability.length + " probabilities with "
                    + rulScore.length + " RUL scores");
        }
        double[] out = new double[probability.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (probability[i] + rulScore[i]) / 2;
        }
        return out;
    }

    /**
     * The mean of each member pair's best-F1 threshold on its own validation windows.
     *
     * @param labels per pair, the validation labels
     * @param scores per pair, the combined scores of those windows
     * @return the mean threshold
     * @throws IllegalArgumentException if the lists are empty or differ in size
     */
    public static double combinedThreshold(List<boolean[]> labels, List<double[]> scores) {
        if (labels.isEmpty() || labels.size() != scores.size()) {
            throw new IllegalArgumentException("need one label and score array per member pair, but got "
                    + labels.size() + " and " + scores.size());
        }
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += Evaluation.bestF1Threshold(labels.get(i), scores.get(i));
        }
        return sum / labels.size();
    }

    /**
     * The RUL protocol's metrics: predicted RUL against the capped truth.
     *
     * @param model an RUL predictor or ensemble
     * @param cases the cases to score
     * @return RMSE, MAE, R² and the NASA score
     */
    public static RegressionMetrics regression(Predictor model, ProtocolCases cases) {
        return Evaluation.regression(cases.rul(), rul(model, cases));
    }

    /**
     * As {@link #regression(Predictor, ProtocolCases)} for each member of an ensemble.
     *
     * @param model the ensemble
     * @param cases the cases to score
     * @return one result per member, in member order
     */
    public static List<RegressionMetrics> regressionPerMember(EnsemblePredictor model, ProtocolCases cases) {
        return model.members().stream().map(m -> regression(m, cases)).toList();
    }

    /**
     * The RUL protocol's metrics with test-time averaging: for each case, the model predicts the RUL
     * at the windows ending 0, 1, ..., {@code k - 1} cycles before the case's last cycle (as many as
     * the case's history allows), shifts each back by its offset ({@code rul - i}) and the case's
     * estimate is their mean. Only the engine's past readings are used, so a host with the history
     * can do the same on a live stream. {@code k = 1} is the plain last-window prediction.
     *
     * @param model      an RUL predictor or ensemble
     * @param cases      the cases to score, each with the engine's history
     * @param minHistory the fewest readings the model needs (its window, or its minimum history when it
     *                   pads shorter windows); an earlier window is used only while it has as many
     * @param ks     the numbers of windows to average, each {@code >= 1}; all are served by one
     *               prediction pass over the largest
     * @return one result per {@code k}, in order
     * @throws IllegalArgumentException if a {@code k} is below 1 or {@code ks} is empty
     */
    public static List<RegressionMetrics> regressionAveraged(Predictor model, ProtocolCases cases, int minHistory,
                                                             int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("need at least one number of windows to average");
        }
        int max = 1;
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("windows to average must be >= 1, but was " + k);
            }
            max = Math.max(max, k);
        }
        int n = cases.windows().size();
        int[] available = new int[n];
        List<DeviceWindow> shifted = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            DeviceWindow w = cases.windows().get(c);
            List<SensorReading> r = w.readings();
            available[c] = Math.max(1, Math.min(max, r.size() - minHistory + 1));
            for (int i = 0; i < available[c]; i++) {
                // The whole history up to that cycle: the model reads its window from the end, padding if it may.
                shifted.add(new DeviceWindow(w.deviceId(), r.subList(0, r.size() - i)));
            }
        }
        List<Prediction> p = model.predictBatch(shifted);
        List<RegressionMetrics> out = new ArrayList<>();
        for (int k : ks) {
            double[] estimate = new double[n];
            int at = 0;
            for (int c = 0; c < n; c++) {
                int used = Math.min(k, available[c]);
                double sum = 0;
                for (int i = 0; i < used; i++) {
                    sum += p.get(at + i).remainingUsefulLife() - i;
                }
                estimate[c] = sum / used;
                at += available[c];
            }
            out.add(Evaluation.regression(cases.rul(), estimate));
        }
        return out;
    }

    /**
     * The RMSE with every engine weighing the same, however many windows it has: the mean over engines
     * of each engine's mean squared error. The test protocol scores one window per engine; plain RMSE
     * over every window of held-out engines lets long engines count more.
     *
     * @param model an RUL predictor or ensemble
     * @param cases the cases to score
     * @return the engine-weighted RMSE
     */
    public static double engineWeightedRmse(Predictor model, ProtocolCases cases) {
        return engineWeightedRmse(cases, rul(model, cases));
    }

    static double engineWeightedRmse(ProtocolCases cases, double[] estimate) {
        if (estimate.length != cases.windows().size() || estimate.length == 0) {
            throw new IllegalArgumentException("need one estimate per case, at least one, but got " + estimate.length
                    + " for " + cases.windows().size());
        }
        List<int[]> engines = engines(cases);
        double sum = 0;
        for (int[] idx : engines) {
            sum += meanSquaredError(idx, estimate, cases.rul());
        }
        return Math.sqrt(sum / engines.size());
    }

    /** @return for each engine, in order of its first case, the indices of its cases */
    private static List<int[]> engines(ProtocolCases cases) {
        Map<String, List<Integer>> byEngine = new LinkedHashMap<>();
        for (int i = 0; i < cases.windows().size(); i++) {
            byEngine.computeIfAbsent(cases.windows().get(i).deviceId(), k -> new ArrayList<>()).add(i);
        }
        return byEngine.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    private static double meanSquaredError(int[] idx, double[] estimate, double[] truth) {
        double sum = 0;
        for (int i : idx) {
            double e = estimate[i] - truth[i];
            sum += e * e;
        }
        return sum / idx.length;
    }

    private static double[] rul(Predictor p, ProtocolCases cases) {
        return p.predictBatch(cases.windows()).stream().mapToDouble(Prediction::remainingUsefulLife).toArray();
    }
}
