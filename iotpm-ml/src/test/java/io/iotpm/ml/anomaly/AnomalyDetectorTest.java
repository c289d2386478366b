package io.iotpm.ml.anomaly;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LabelledWindow;
import io.iotpm.ml.Synthetic;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * An autoencoder trained on synthetic motors whose {@code load} ramps up before each failure: it
 * learns normal operation and flags the ramps on devices it never saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyDetectorTest {

    private static final int LEN = 12;
    private static final int HORIZON = 10;

    private final Synthetic fleet = Synthetic.fleet(8, 500, 7);
    private TrainingSet train;
    private TrainingSet unseen;
    private AnomalyDetector detector;
    private TrainingReport report;

    static AnomalyDetector.Builder small() {
        return AnomalyDetector.builder(Synthetic.SCHEMA).sequenceLength(LEN).horizon(HORIZON).stride(2)
                .hiddenSize(8).epochs(8).batchSize(64).learningRate(5e-3).seed(5);
    }

    @BeforeAll
    void train() {
        TrainingSet all = fleet.set();
        List<String> ids = all.deviceIds();
        train = all.devices(ids.subList(0, 6));
        unseen = all.devices(ids.subList(6, 8));
        detector = small().build();
        report = detector.train(train);
    }

    @AfterAll
    void close() {
        detector.close();
    }

    @Test
    void score_separatesWindowsBeforeFailures_onUnseenDevices() {
        List<LabelledWindow> ws = unseen.windows(LEN, 1, HORIZON);
        double[] scores = detector.scores(ws);
        boolean[] actual = new boolean[ws.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = ws.get(i).failureWithinHorizon();
        }
        assertThat(Evaluation.rocAuc(actual, scores)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void threshold_isThePercentileOfHealthyValidationScores() {
        TrainingSet val = train.devices(report.validationDevices());
        double[] scores = detector.scores(val.windows(LEN, 2, HORIZON).stream()
                .filter(w -> !w.failureWithinHorizon()).toList());
        long above = java.util.Arrays.stream(scores).filter(s -> s > detector.threshold()).count();
        assertThat(above).isLessThanOrEqualTo((long) Math.floor(scores.length * 0.01));
        assertThat(java.util.Arrays.stream(scores).filter(s -> s >= detector.threshold()).count()).isPositive();
        assertThat(detector.metrics()).containsKeys("threshold", "healthy_median", "validation_loss");
        assertThat(report.threshold()).isEqualTo(detector.threshold());
    }

    @Test
    void trainsOnNormalOperationOnly_leavingOutWindowsBeforeFailures() {
        long normal = train.devices(report.trainDevices()).windows(LEN, 2, HORIZON).stream()
                .filter(w -> !w.failureWithinHorizon()).count();
        assertThat(report.trainWindows()).isEqualTo((int) normal);
        assertThat(report.trainDevices()).doesNotContainAnyElementsOf(report.validationDevices());
    }

    @Test
    void contributions_nameTheRampingChannelFirst_andAddUpToScoreOverThreshold() {
        AnomalyScore s = detector.score("DEV_006", windowBeforeFailure());
        assertThat(s.anomalous()).isTrue();
        assertThat(s.contributions().keySet()).containsExactly("load", "temp");
        double sum = s.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).isCloseTo(s.score() / s.threshold(), within(1e-6));
    }

    @Test
    void predict_isConsistent_decisionRiskAndProbability() {
        List<DeviceWindow> windows = new ArrayList<>();
        windows.add(new DeviceWindow("DEV_006", windowBeforeFailure()));
        windows.add(new DeviceWindow("DEV_007", healthyWindow()));
        List<AnomalyScore> scores = detector.scoreBatch(windows);
        List<Prediction> ps = detector.predictBatch(windows);
        for (int i = 0; i < ps.size(); i++) {
            Prediction p = ps.get(i);
            AnomalyScore s = scores.get(i);
            assertThat(p.maintenanceNeeded()).isEqualTo(s.score() >= s.threshold());
            assertThat(p.riskLevel().compareTo(RiskLevel.HIGH) >= 0).isEqualTo(p.maintenanceNeeded());
            assertThat(p.failureProbability() >= 0.5).isEqualTo(p.maintenanceNeeded());
            assertThat(p.modelVersion()).isEqualTo(detector.version()).startsWith("ae-");
            assertThat(p.contributions()).isEqualTo(s.contributions());
            assertThat(p.hasRemainingUsefulLife()).isFalse();
        }
        assertThat(ps.get(0).maintenanceNeeded()).isTrue();
        assertThat(ps.get(1).maintenanceNeeded()).isFalse();
    }

    @Test
    void probability_isOneHalfAtTheThreshold_lowAtTheHealthyMedian_andMonotone() {
        double t = detector.threshold();
        assertThat(detector.probability(t)).isCloseTo(0.5, within(1e-12));
        assertThat(detector.probability(detector.metrics().get("healthy_median")))
                .isCloseTo(AnomalyCalibration.HEALTHY_MEDIAN_PROBABILITY, within(0.02));
        assertThat(detector.probability(0)).isZero();
        assertThat(detector.probability(t * 0.9)).isLessThan(detector.probability(t * 1.1));
        assertThat(detector.probability(t * 1e6)).isLessThanOrEqualTo(1);
    }

    @Test
    void sameDataAndSeed_giveTheSameModel() {
        try (AnomalyDetector again = small().build()) {
            again.train(train);
            assertThat(again.version()).isEqualTo(detector.version());
            assertThat(again.threshold()).isEqualTo(detector.threshold());
        }
    }

    @Test
    void trainsWithoutAnyEvent_onAllWindows() {
        TrainingSet noEvents = TrainingSet.of(fleet.readings, List.of()).devices(List.of("DEV_000", "DEV_001", "DEV_002"));
        try (AnomalyDetector d = small().epochs(1).build()) {
            TrainingReport r = d.train(noEvents);
            assertThat(r.trainWindows() + r.validationWindows())
                    .isEqualTo(noEvents.windows(LEN, 2, HORIZON).size());
        }
    }

    @Test
    void rejectsBadWindows_andUseBeforeTrainingOrAfterClose() {
        assertThatThrownBy(() -> detector.score("DEV_007", healthyWindow().subList(0, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 5 readings");
        AnomalyDetector fresh = small().build();
        assertThatThrownBy(() -> fresh.predict("DEV_007", healthyWindow()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not trained");
        fresh.close();
        assertThatThrownBy(() -> fresh.train(train)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void builder_rejectsBadValues_namingThem() {
        assertThatThrownBy(() -> small().thresholdPercentile(30)).hasMessageContaining("but was 30.0");
        assertThatThrownBy(() -> small().riskLevels(0.6, 0.9)).hasMessageContaining("0.6 and 0.9");
        assertThatThrownBy(() -> small().sequenceLength(1)).hasMessageContaining("but was 1");
        assertThatThrownBy(() -> small().validationFraction(0)).hasMessageContaining("but was 0.0");
    }

    /** The last readings of an unseen device up to just before its first failure. */
    private List<SensorReading> windowBeforeFailure() {
        List<SensorReading> mine = fleet.readings.stream().filter(r -> r.deviceId().equals("DEV_006")).toList();
        java.time.Instant failure = fleet.events.stream()
                .filter(e -> e.deviceId().equals("DEV_006") && e instanceof io.iotpm.core.FailureEvent)
                .map(io.iotpm.core.DeviceEvent::timestamp).min(java.util.Comparator.naturalOrder()).orElseThrow();
        List<SensorReading> before = mine.stream().filter(r -> !r.timestamp().isAfter(failure)).toList();
        return before.subList(before.size() - LEN, before.size());
    }

    /** The first readings of an unseen device (its first failure is 60 or more steps later). */
    private List<SensorReading> healthyWindow() {
        return fleet.readings.stream().filter(r -> r.deviceId().equals("DEV_007")).limit(LEN).toList();
    }
}
