package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.network.LstmWeights;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A trained PyTorch-engine {@link LstmPredictor} (with composite and rolling features), exported as
 * a SavedModel and served by DJL's TensorFlow engine, predicts what it predicts.
 */
class LstmExportParityTest {

    private static final int STEPS = 20;
    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();
    private static final RiskThresholds RISK = new RiskThresholds(0.2, 0.4, 0.7, 0.4);

    static LstmPredictor classifier;
    static List<SensorReading> readings;
    static List<DeviceEvent> events;

    @BeforeAll
    static void train() {
        TfTestSupport.offline();
        TfTestSupport.assumeExportableLocale();
        Fleet fleet = Fleet.builder().devices(4).idPrefix("M_").seed(3).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        readings = fleet.history(Duration.ofHours(30)).toList();
        events = fleet.events();
        classifier = LstmPredictor.builder(SCHEMA).sequenceLength(STEPS).horizon(30).stride(30).layers(12, 8)
                .denseLayers(6).epochs(1).batchSize(128).seed(5).compositeChannels(true).rollingFeatures(5)
                .riskThresholds(RISK.medium(), RISK.high(), RISK.critical()).decisionThreshold(RISK.decision())
                .build();
        classifier.train(TrainingSet.of(readings, events));
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    /** Also with input smoothing, which the sidecar carries and the TensorFlow predictor applies in Java. */
    @ParameterizedTest(name = "smoothing {0}")
    @ValueSource(doubles = {0, 0.3})
    void exportedRulLstm_givesThePyTorchRemainingLife(double smoothing, @TempDir Path tmp) throws Exception {
        try (LstmPredictor rul = LstmPredictor.builder(SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION).rulCap(120)
                .sequenceLength(STEPS).horizon(30).stride(30).layers(8).epochs(1).batchSize(128).seed(9)
                .smoothing(smoothing).build()) {
            rul.train(TrainingSet.of(readings, events));
            Path dir = tmp.resolve("rul");
            SavedModelExporter.export(rul.network().weights(), dir, ModelSidecar.forLstm(rul.network(), RiskThresholds.DEFAULT));
            List<DeviceWindow> windows = TfTestSupport.windows(200, STEPS, 29);
            List<Prediction> pytorch = rul.predictBatch(windows);
            try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
                assertThat(tf.sidecar().outputKind()).isEqualTo(ModelSidecar.OutputKind.RUL);
                assertThat(tf.sidecar().features().orElseThrow().smoothing()).isEqualTo(smoothing);
                List<Prediction> served = tf.predictBatch(windows);
                for (int i = 0; i < windows.size(); i++) {
                    Prediction a = pytorch.get(i);
                    Prediction b = served.get(i);
                    // RUL is in steps (up to the cap): 1e-4 relative to its scale.
                    assertThat(b.remainingUsefulLife()).as("window %d", i)
                            .isCloseTo(a.remainingUsefulLife(), within(1e-4 * Math.max(1, Math.abs(a.remainingUsefulLife()))));
                    assertThat(b.failureProbability()).isCloseTo(a.failureProbability(), within(1e-4));
                    assertThat(b.maintenanceNeeded()).isEqualTo(a.maintenanceNeeded());
                }
            }
        }
    }

    /** Issue 18: a model trained on padded short windows carries min_history, and both sides pad alike. */
    @Test
    void exportedRulLstmWithMinHistory_padsShortWindowsAsPyTorchDoes(@TempDir Path tmp) throws Exception {
        int min = 8;
        try (LstmPredictor rul = LstmPredictor.builder(SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION).rulCap(120)
                .sequenceLength(STEPS).minHistory(min).horizon(30).stride(30).layers(8).epochs(1).batchSize(128)
                .seed(9).build()) {
            rul.train(TrainingSet.of(readings, events));
            Path dir = tmp.resolve("padded");
            SavedModelExporter.export(rul.network().weights(), dir, ModelSidecar.forLstm(rul.network(), RiskThresholds.DEFAULT));
            List<DeviceWindow> windows = new java.util.ArrayList<>();
            List<DeviceWindow> full = TfTestSupport.windows(60, STEPS, 31);
            for (int i = 0; i < full.size(); i++) {
                List<SensorReading> r = full.get(i).readings();
                int n = min + i % (STEPS - min + 1);
                windows.add(new DeviceWindow(full.get(i).deviceId(), r.subList(r.size() - n, r.size())));
            }
            List<Prediction> pytorch = rul.predictBatch(windows);
            try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
                assertThat(tf.sidecar().minHistory()).isEqualTo(min);
                List<Prediction> served = tf.predictBatch(windows);
                for (int i = 0; i < windows.size(); i++) {
                    double a = pytorch.get(i).remainingUsefulLife();
                    assertThat(served.get(i).remainingUsefulLife()).as("window %d of %d readings", i,
                            windows.get(i).readings().size()).isCloseTo(a, within(1e-4 * Math.max(1, Math.abs(a))));
                }
                List<SensorReading> tooShort = windows.get(0).readings().subList(1, min);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> tf.predict(windows.get(0).deviceId(), tooShort))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs " + min);
            }
        }
    }

    @Test
    void exportSavedModel_servesTheSamePredictionsRiskLevelsAndDecisions(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("exported");
        SavedModelExporter.export(classifier, dir);
        List<DeviceWindow> windows = TfTestSupport.windows(200, STEPS, 29);
        List<Prediction> pytorch = classifier.predictBatch(windows);
        try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
            List<Prediction> served = tf.predictBatch(windows);
            for (int i = 0; i < windows.size(); i++) {
                assertThat(served.get(i).failureProbability()).as("window %d", i)
                        .isCloseTo(pytorch.get(i).failureProbability(), within(1e-4));
                assertThat(served.get(i).riskLevel()).as("window %d", i).isEqualTo(pytorch.get(i).riskLevel());
                assertThat(served.get(i).maintenanceNeeded()).as("window %d", i)
                        .isEqualTo(pytorch.get(i).maintenanceNeeded());
            }
        }
    }

    @Test
    void exportedTrainedLstm_matchesPyTorchOn1000Windows(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("lstm");
        SavedModelExporter.export(classifier.network().weights(), dir, ModelSidecar.forLstm(classifier.network(), RISK));
        List<DeviceWindow> windows = TfTestSupport.windows(1000, STEPS, 23);
        List<Prediction> pytorch = classifier.predictBatch(windows);
        try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
            assertThat(tf.sidecar().features()).isPresent();
            // Issue 18: the classifier's Platt scaling travels in model.json and the TensorFlow side applies it.
            assertThat(tf.sidecar().outputKind()).isEqualTo(ModelSidecar.OutputKind.LOGIT);
            assertThat(tf.sidecar().calibration()).isEqualTo(classifier.network().calibration())
                    .isNotEqualTo(io.iotpm.ml.network.PlattScaling.IDENTITY);
                List<Prediction> served = tf.predictBatch(windows);
            // The trained network must tell windows apart, or parity would prove little.
            assertThat(served.stream().mapToDouble(Prediction::failureProbability).distinct().count()).isGreaterThan(20);
            LstmWeights w = classifier.network().weights();
            for (int i = 0; i < windows.size(); i++) {
                Prediction a = pytorch.get(i);
                Prediction b = served.get(i);
                assertThat(b.failureProbability()).as("window %d", i).isCloseTo(a.failureProbability(), within(1e-4));
                assertThat(b.modelVersion()).isEqualTo(a.modelVersion());
                if (Math.abs(a.failureProbability() - RISK.medium()) > 1e-4
                        && Math.abs(a.failureProbability() - RISK.high()) > 1e-4
                        && Math.abs(a.failureProbability() - RISK.critical()) > 1e-4) {
                    assertThat(b.riskLevel()).isEqualTo(a.riskLevel());
                }
                if (i % 100 == 0) {
                    double[] raw = new double[STEPS * SCHEMA.size()];
                    for (int t = 0; t < STEPS; t++) {
                        windows.get(i).readings().get(t).copyValuesTo(raw, t * SCHEMA.size());
                    }
                    double ref = classifier.network().calibration().probability(
                            w.forward(classifier.network().features().transform(SCHEMA, raw, STEPS))[0]);
                    assertThat(b.failureProbability()).isCloseTo(ref, within(1e-4));
                }
            }
        }
    }
}
