package io.iotpm.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.ml.network.PlattScaling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Issue 18: risk levels ordered with the decision, and calibrated probabilities saved with the model. */
class RiskAndCalibrationTest {

    static Synthetic data;
    static LstmPredictor model;
    static List<DeviceWindow> windows;

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(8, 400, 3);
        model = LstmPredictorTest.small().seed(11).build();
        model.train(data.set());
        windows = data.windows(12, 7);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void riskScale_levelIsAtOrAboveTheMaintenanceLevelExactlyWhenMaintenanceIsNeeded() {
        RiskScale s = new RiskScale(0.3, 0.6, 0.8, RiskLevel.HIGH).around(0.85);
        for (int i = 0; i <= 1000; i++) {
            double p = i / 1000.0;
            boolean needed = p >= 0.85;
            assertThat(s.level(p, needed).compareTo(RiskLevel.HIGH) >= 0).as("p = %s", p).isEqualTo(needed);
        }
        // The demo's old contradiction: 0.839 was "critical" without maintenance; now it is below HIGH.
        assertThat(s.level(0.839, false)).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void riskScale_around_movesTheMaintenanceLevelToTheDecisionAndKeepsTheOrder() {
        RiskScale s = new RiskScale(0.3, 0.6, 0.8, RiskLevel.HIGH);
        assertThat(s.around(0.85)).isEqualTo(new RiskScale(0.3, 0.85, 0.85, RiskLevel.HIGH));
        assertThat(s.around(0.2)).isEqualTo(new RiskScale(0.2, 0.2, 0.8, RiskLevel.HIGH));
        assertThat(new RiskScale(0.3, 0.6, 0.8, RiskLevel.CRITICAL).around(0.7))
                .isEqualTo(new RiskScale(0.3, 0.6, 0.7, RiskLevel.CRITICAL));
    }

    @Test
    void builder_rejectsRiskThresholdsThatContradictAFixedDecisionThreshold() {
        LstmPredictor.Builder b = LstmPredictor.builder(Synthetic.SCHEMA).riskThresholds(0.3, 0.6, 0.8)
                .decisionThreshold(0.85);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.85").hasMessageContaining("0.6").hasMessageContaining("HIGH");
        assertThatThrownBy(() -> b.maintenanceLevel(RiskLevel.LOW)).hasMessageContaining("LOW");
        // Agreeing values build; so does a fixed decision alone (the default thresholds move around it).
        b.maintenanceLevel(RiskLevel.CRITICAL).riskThresholds(0.3, 0.6, 0.85).build().close();
        LstmPredictor.builder(Synthetic.SCHEMA).decisionThreshold(0.85).build().close();
    }

    @Test
    void predictions_riskLevelAgreesWithMaintenanceNeeded_onEveryWindow() {
        List<Prediction> ps = model.predictBatch(windows);
        assertThat(ps.stream().filter(Prediction::maintenanceNeeded)).isNotEmpty();
        assertThat(ps.stream().filter(p -> !p.maintenanceNeeded())).isNotEmpty();
        for (Prediction p : ps) {
            assertThat(p.riskLevel().compareTo(RiskLevel.HIGH) >= 0).as("%s", p).isEqualTo(p.maintenanceNeeded());
        }
    }

    @Test
    void training_calibratesOnValidation_andReportsTheBrierScore() {
        assertThat(model.metrics()).containsKey("brier");
        assertThat(model.metrics().get("brier")).isBetween(0.0, 0.25);
        PlattScaling c = model.network().calibration();
        assertThat(c).isNotEqualTo(PlattScaling.IDENTITY);
        assertThat(c.a()).isPositive();
    }

    @Test
    void calibration_none_keepsTheNetworksOwnSigmoid() {
        try (LstmPredictor raw = LstmPredictorTest.small().seed(11).calibration(LstmPredictor.Calibration.NONE).build()) {
            raw.train(data.set());
            assertThat(raw.network().calibration()).isEqualTo(PlattScaling.IDENTITY);
            DeviceWindow w = windows.get(5);
            double logit = raw.network().weights().forward(raw.featurePipeline().transform(raw(w), 12))[0];
            assertThat(raw.predict(w.deviceId(), w.readings()).failureProbability())
                    .isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6));
        }
    }

    @Test
    void saveAndLoad_keepsTheCalibration(@TempDir Path dir) throws IOException {
        model.save(dir);
        try (LstmPredictor again = Predictors.load(dir, Synthetic.SCHEMA)) {
            List<Prediction> a = model.predictBatch(windows);
            List<Prediction> b = again.predictBatch(windows);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).failureProbability()).isEqualTo(a.get(i).failureProbability());
                assertThat(b.get(i).riskLevel()).isEqualTo(a.get(i).riskLevel());
            }
        }
    }

    @Test
    void load_readsAFormatOneFolderAsUncalibratedWithMaintenanceFromHigh(@TempDir Path dir) throws IOException {
        model.save(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        root.put("formatVersion", 1);
        root.remove("calibration");
        ObjectNode hp = (ObjectNode) root.get("hyperParameters");
        hp.remove(List.of("maintenanceLevel", "riskThresholdsSet", "calibration"));
        json.writeValue(dir.resolve("model.json").toFile(), root);
        try (LstmPredictor old = Predictors.load(dir, Synthetic.SCHEMA)) {
            assertThat(old.network().calibration()).isEqualTo(PlattScaling.IDENTITY);
            assertThat(old.network().maintenanceLevel()).isEqualTo(RiskLevel.HIGH);
            Prediction p = old.predict(windows.get(3).deviceId(), windows.get(3).readings());
            double logit = model.network().weights().forward(
                    model.featurePipeline().transform(raw(windows.get(3)), 12))[0];
            assertThat(p.failureProbability()).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6));
        }
    }

    @Test
    void load_refusesAFormatNewerThanItReads_namingBoth(@TempDir Path dir) throws IOException {
        model.save(dir);
        Path f = dir.resolve("model.json");
        Files.writeString(f, Files.readString(f).replace("\"formatVersion\" : 2", "\"formatVersion\" : 4"));
        assertThatThrownBy(() -> Predictors.load(dir, Synthetic.SCHEMA)).isInstanceOf(IOException.class)
                .hasMessageContaining("format version 4").hasMessageContaining("upgrade iotpm-ml");
    }

    @Test
    void regression_riskLevelAgreesWithRulAtOrBelowTheHorizon() {
        try (LstmPredictor rul = LstmPredictorTest.small().task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60).build()) {
            rul.train(data.set());
            for (Prediction p : rul.predictBatch(windows)) {
                assertThat(p.maintenanceNeeded()).isEqualTo(p.remainingUsefulLife() <= 10);
                assertThat(p.riskLevel().compareTo(RiskLevel.HIGH) >= 0).as("%s", p).isEqualTo(p.maintenanceNeeded());
            }
            assertThat(rul.metrics()).containsKey("brier");
        }
    }

    @Test
    void plattFit_recoversTheScalingThatGeneratedTheLabels() {
        Random r = new Random(5);
        int n = 20_000;
        double[] score = new double[n];
        boolean[] y = new boolean[n];
        PlattScaling truth = new PlattScaling(0.5, -1.0);
        for (int i = 0; i < n; i++) {
            score[i] = r.nextGaussian() * 4;
            y[i] = r.nextDouble() < truth.probability(score[i]);
        }
        PlattScaling fit = PlattScaling.fit(score, y);
        assertThat(fit.a()).isCloseTo(0.5, within(0.05));
        assertThat(fit.b()).isCloseTo(-1.0, within(0.08));
        assertThat(PlattScaling.fit(new double[] {1, 2}, new boolean[] {true, true})).isEqualTo(PlattScaling.IDENTITY);
    }

    @Test
    void evaluation_brierAndReliabilityTable() {
        boolean[] y = {true, false, true, false};
        double[] p = {0.9, 0.1, 0.65, 0.55};
        ClassificationMetrics m = Evaluation.classification(y, p, 0.5);
        assertThat(m.brierScore()).isCloseTo((0.01 + 0.01 + 0.1225 + 0.3025) / 4, within(1e-12));
        assertThat(m.reliability()).containsExactly(
                new ReliabilityBin(0.1, 0.2, 1, 0.1, 0.0),
                new ReliabilityBin(0.5, 0.6, 1, 0.55, 0.0),
                new ReliabilityBin(0.6, 0.7, 1, 0.65, 1.0),
                new ReliabilityBin(0.9, 1.0, 1, 0.9, 1.0));
        // Scores that are not probabilities have no Brier score and no table.
        ClassificationMetrics s = Evaluation.classification(y, new double[] {3, -1, 2, 0}, 1);
        assertThat(s.brierScore()).isNaN();
        assertThat(s.reliability()).isEmpty();
    }

    private static double[] raw(DeviceWindow w) {
        double[] raw = new double[12 * Synthetic.SCHEMA.size()];
        for (int t = 0; t < 12; t++) {
            w.readings().get(w.readings().size() - 12 + t).copyValuesTo(raw, t * Synthetic.SCHEMA.size());
        }
        return raw;
    }
}
