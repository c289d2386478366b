package io.iotpm.ml;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.LstmWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LstmPredictorTest {

    static Synthetic data;
    static LstmPredictor model;
    static TrainingReport report;

    static LstmPredictor.Builder small() {
        return LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).horizon(10).stride(2)
                .layers(8, 6).dropout(0.1).epochs(6).batchSize(64).earlyStoppingPatience(0)
                .rollingFeatures(4).slopeFeatures(4).seed(7);
    }

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(8, 400, 1);
        model = small().build();
        report = model.train(data.set());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void train_lossDecreasesAndReportIsComplete() {
        assertThat(report.epochs()).hasSize(6);
        assertThat(report.epochs().get(5).trainLoss()).isLessThan(report.epochs().get(0).trainLoss());
        assertThat(report.bestEpoch()).isBetween(1, 6);
        assertThat(report.validationDevices()).isNotEmpty().doesNotContainAnyElementsOf(report.trainDevices());
        assertThat(report.validationMetrics()).containsKeys("f1", "roc_auc", "pr_auc");
        assertThat(report.threshold()).isBetween(0.0, 1.0);
        assertThat(model.featureNames()).contains("load", "load_mean4", "load_std4", "load_slope4");
    }

    @Test
    void predict_returnsProbabilityRiskAndVersion() {
        Prediction p = model.predict("DEV_001", data.lastReadings("DEV_001", 30));
        assertThat(p.failureProbability()).isBetween(0.0, 1.0);
        assertThat(p.deviceId()).isEqualTo("DEV_001");
        assertThat(p.modelVersion()).startsWith("lstm-").isEqualTo(model.version());
        assertThat(p.timestamp()).isEqualTo(data.lastReadings("DEV_001", 1).get(0).timestamp());
        assertThat(p.hasRemainingUsefulLife()).isFalse();
        assertThat(p.maintenanceNeeded()).isEqualTo(p.failureProbability() >= model.threshold());
    }

    @Test
    void predictBatch_matchesSinglePredictionsAndIsThreadSafe() throws Exception {
        List<DeviceWindow> windows = new ArrayList<>();
        for (String id : data.set().deviceIds()) {
            windows.add(new DeviceWindow(id, data.lastReadings(id, 12)));
        }
        List<Prediction> batch = model.predictBatch(windows);
        for (int i = 0; i < windows.size(); i++) {
            assertThat(batch.get(i).failureProbability())
                    .isCloseTo(model.predict(windows.get(i).deviceId(), windows.get(i).readings()).failureProbability(),
                            within(1e-6));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> fs = new ArrayList<>();
            for (int k = 0; k < 16; k++) {
                fs.add(pool.submit(() -> model.predictBatch(windows)));
            }
            // Concurrent calls may split PyTorch's intra-op work differently, so float sums can differ
            // in the last bits; values must agree, not bit patterns.
            for (Future<List<Prediction>> f : fs) {
                List<Prediction> got = f.get();
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).failureProbability()).isCloseTo(batch.get(i).failureProbability(), within(1e-6));
                    assertThat(got.get(i).deviceId()).isEqualTo(batch.get(i).deviceId());
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void weights_reproducePredictionsInPlainJava() {
        LstmWeights w = model.network().weights();
        FeaturePipeline fp = model.featurePipeline();
        List<SensorReading> window = data.lastReadings("DEV_003", 12);
        double[] raw = new double[12 * 2];
        for (int t = 0; t < 12; t++) {
            window.get(t).copyValuesTo(raw, t * 2);
        }
        float[] out = w.forward(fp.transform(raw, 12));
        // The weights end in the logit; the model's Platt scaling turns it into the probability.
        assertThat(model.network().calibration().probability(out[0]))
                .isCloseTo(model.predict("DEV_003", window).failureProbability(), within(1e-5));
    }

    @Test
    void network_describesTheTrainedModelAndReproducesItsPredictions() {
        LstmNetwork n = model.network();
        assertThat(n.version()).isEqualTo(model.version());
        assertThat(n.featureNames()).isEqualTo(model.featureNames());
        assertThat(n.sequenceLength()).isEqualTo(12);
        assertThat(n.remainingUsefulLife()).isFalse();
        assertThat(n.decisionThreshold()).isEqualTo(model.threshold());
        // The maintenance level (HIGH) starts at the decision threshold; MEDIUM and CRITICAL keep theirs
        // unless the threshold passes them (issue 18: risk ordered with the decision).
        assertThat(n.riskThresholds()).containsExactly(Math.min(0.3, model.threshold()), model.threshold(),
                Math.max(0.8, model.threshold()));
        List<SensorReading> window = data.lastReadings("DEV_005", 12);
        double[] raw = new double[12 * 2];
        for (int t = 0; t < 12; t++) {
            window.get(t).copyValuesTo(raw, t * 2);
        }
        assertThat(n.forward(raw, 12)).isCloseTo(model.predict("DEV_005", window).failureProbability(), within(1e-5));
    }

    @Test
    void saveAndLoad_giveIdenticalPredictions(@TempDir Path dir) throws IOException {
        model.save(dir);
        assertThat(dir.resolve("model.json")).exists();
        assertThat(dir.resolve("model.params")).exists();
        String json = Files.readString(dir.resolve("model.json"));
        assertThat(json).contains("\"formatVersion\" : 2", "\"synthetic\"", "\"threshold\"", "\"offset\"", "\"libraryVersion\"");
        try (LstmPredictor again = Predictors.load(dir, Synthetic.SCHEMA)) {
            for (String id : data.set().deviceIds()) {
                assertThat(again.predict(id, data.lastReadings(id, 20)))
                        .isEqualTo(model.predict(id, data.lastReadings(id, 20)));
            }
            assertThat(again.threshold()).isEqualTo(model.threshold());
            assertThat(again.metrics()).isEqualTo(model.metrics());
        }
    }

    @Test
    void regression_estimatesRemainingUsefulLifeAndWeightsReproduceIt() {
        try (LstmPredictor rul = small().task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60).epochs(3).build()) {
            TrainingReport r = rul.train(data.set());
            assertThat(r.validationMetrics()).containsKeys("rmse", "mae", "r2", "nasa_score");
            List<SensorReading> window = data.lastReadings("DEV_004", 12);
            Prediction p = rul.predict("DEV_004", window);
            assertThat(p.remainingUsefulLife()).isBetween(0.0, 1000.0);
            assertThat(p.maintenanceNeeded()).isEqualTo(p.remainingUsefulLife() <= 10);
            double[] raw = new double[24];
            for (int t = 0; t < 12; t++) {
                window.get(t).copyValuesTo(raw, t * 2);
            }
            float[] out = rul.network().weights().forward(rul.featurePipeline().transform(raw, 12));
            assertThat((double) out[0]).isCloseTo(p.remainingUsefulLife(), within(1e-3));
            assertThat(rul.evaluateRegression(data.set()).count()).isPositive();
        }
    }

    @Test
    void regression_neverEstimatesAboveItsCap_andItsWeightsClipAlike() {
        try (LstmPredictor rul = small().task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60).epochs(3).build()) {
            rul.train(data.set());
            List<io.iotpm.ml.network.LstmWeights.DenseLayer> dense = rul.network().weights().dense();
            // min(60, r) = 60 - relu(60 - r): the last two one-unit layers.
            assertThat(dense.get(dense.size() - 2).activation()).isEqualTo(io.iotpm.ml.network.LstmWeights.Activation.RELU);
            assertThat(dense.get(dense.size() - 1).b()).containsExactly(60f);
            for (String id : data.set().deviceIds()) {
                List<SensorReading> history = data.lastReadings(id, 200);
                for (int end = 12; end <= history.size(); end += 7) {
                    List<SensorReading> window = history.subList(end - 12, end);
                    double estimate = rul.predict(id, window).remainingUsefulLife();
                    assertThat(estimate).isBetween(0.0, 60.0);
                    double[] raw = new double[24];
                    for (int t = 0; t < 12; t++) {
                        window.get(t).copyValuesTo(raw, t * 2);
                    }
                    float[] out = rul.network().weights().forward(rul.featurePipeline().transform(raw, 12));
                    assertThat((double) out[0]).isCloseTo(estimate, within(1e-3));
                }
            }
        }
    }

    @Test
    void predict_beforeTraining_throwsIllegalState() {
        try (LstmPredictor fresh = small().build()) {
            assertThatThrownBy(() -> fresh.predict("DEV_001", data.lastReadings("DEV_001", 12)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not trained");
        }
    }

    @Test
    void predict_afterClose_throwsIllegalState(@TempDir Path dir) throws IOException {
        model.save(dir);
        LstmPredictor loaded = Predictors.load(dir);
        loaded.close();
        assertThatThrownBy(() -> loaded.predict("DEV_001", data.lastReadings("DEV_001", 12)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void network_afterCloseOrBeforeTraining_throwsIllegalState(@TempDir Path dir) throws IOException {
        model.save(dir);
        LstmPredictor loaded = Predictors.load(dir);
        loaded.close();
        assertThatThrownBy(loaded::network).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (LstmPredictor fresh = small().build()) {
            assertThatThrownBy(fresh::network).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not trained");
        }
    }

    @Test
    void predict_rejectsShortWindow() {
        assertThatThrownBy(() -> model.predict("DEV_001", data.lastReadings("DEV_001", 11)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DEV_001").hasMessageContaining("11 readings").hasMessageContaining("at least 12");
    }

    @Test
    void predict_rejectsNaN() {
        List<SensorReading> window = new ArrayList<>(data.lastReadings("DEV_001", 12));
        SensorReading last = window.get(11);
        window.set(11, SensorReading.of("DEV_001", last.timestamp(), Synthetic.SCHEMA, 1.0, Double.NaN));
        assertThatThrownBy(() -> model.predict("DEV_001", window))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN").hasMessageContaining("'temp'");
    }

    @Test
    void predict_rejectsWrongChannelCount() {
        SensorSchema other = SensorSchema.builder("three")
                .channel(Channel.builder("a")).channel(Channel.builder("b")).channel(Channel.builder("c")).build();
        List<SensorReading> window = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            window.add(SensorReading.of("DEV_001", Synthetic.T0.plusSeconds(t), other, 0, 0, 0));
        }
        assertThatThrownBy(() -> model.predict("DEV_001", window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 channels").hasMessageContaining("2 channels");
    }

    @Test
    void train_rejectsDataOfAnotherSchema() {
        SensorSchema other = SensorSchema.builder("one").channel(Channel.builder("a")).build();
        TrainingSet set = TrainingSet.of(List.of(SensorReading.of("X", Synthetic.T0, other, 1)), List.of());
        try (LstmPredictor fresh = small().build()) {
            assertThatThrownBy(() -> fresh.train(set)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'one'").hasMessageContaining("'synthetic'");
        }
    }

    @Test
    void load_rejectsOtherSchema(@TempDir Path dir) throws IOException {
        model.save(dir);
        SensorSchema other = SensorSchema.builder("synthetic").channel(Channel.builder("load")).build();
        assertThatThrownBy(() -> Predictors.load(dir, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trained on schema 'synthetic' (2 channels: load, temp)")
                .hasMessageContaining("(1 channels: load)");
    }

    @Test
    void load_rejectsTruncatedJson(@TempDir Path dir) throws IOException {
        model.save(dir);
        byte[] json = Files.readAllBytes(dir.resolve("model.json"));
        Files.write(dir.resolve("model.json"), java.util.Arrays.copyOf(json, json.length / 2));
        assertThatThrownBy(() -> Predictors.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or not valid JSON");
    }

    @Test
    void load_rejectsTruncatedParameters(@TempDir Path dir) throws IOException {
        model.save(dir);
        byte[] p = Files.readAllBytes(dir.resolve("model.params"));
        Files.write(dir.resolve("model.params"), java.util.Arrays.copyOf(p, p.length - 10));
        assertThatThrownBy(() -> Predictors.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated").hasMessageContaining((p.length - 10) + " bytes");
    }

    @Test
    void load_rejectsNewerFormatVersion(@TempDir Path dir) throws IOException {
        model.save(dir);
        String json = Files.readString(dir.resolve("model.json"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("model.json"), json.replace("\"formatVersion\" : 2", "\"formatVersion\" : 7"));
        assertThatThrownBy(() -> Predictors.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("format version 7").hasMessageContaining("upgrade");
    }

    @Test
    void load_reportsMissingModel(@TempDir Path dir) {
        assertThatThrownBy(() -> Predictors.load(dir)).isInstanceOf(IOException.class).hasMessageContaining("model.json");
    }

    @Test
    void evaluateClassification_onTheTrainingFleet_separatesClasses() {
        ClassificationMetrics m = model.evaluateClassification(data.set());
        assertThat(m.count()).isPositive();
        assertThat(m.rocAuc()).isGreaterThan(0.5);
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        LstmPredictor.Builder b = LstmPredictor.builder(Synthetic.SCHEMA);
        assertThatThrownBy(() -> b.dropout(1.5)).hasMessageContaining("dropout").hasMessageContaining("1.5");
        assertThatThrownBy(() -> b.layers()).hasMessageContaining("layers");
        assertThatThrownBy(() -> b.layers(0)).hasMessageContaining("[0]");
        assertThatThrownBy(() -> b.sequenceLength(1)).hasMessageContaining("sequenceLength").hasMessageContaining("1");
        assertThatThrownBy(() -> b.channels("nope")).hasMessageContaining("unknown channel 'nope'");
        assertThatThrownBy(() -> b.riskThresholds(0.9, 0.5, 0.7)).hasMessageContaining("0.9");
        assertThatThrownBy(() -> b.sequenceLength(5).rollingFeatures(10).build())
                .hasMessageContaining("sequenceLength 5");
    }
}
