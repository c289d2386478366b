package io.iotpm.ml.cmapss;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.RegressionMetrics;
import io.iotpm.ml.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Test-time averaging of the RUL protocol: shifted predictions of a trained RUL model, averaged. */
class RulAveragingTest {

    private static final int WINDOW = 12;
    private static Synthetic data;
    private static LstmPredictor rul;
    private static ProtocolCases cases;

    @BeforeAll
    static void train() {
        data = Synthetic.fleet(5, 200, 3);
        rul = LstmPredictor.builder(Synthetic.SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60)
                .sequenceLength(WINDOW).horizon(10).stride(2).layers(6).epochs(2).batchSize(64)
                .earlyStoppingPatience(0).seed(5).build();
        rul.train(data.set());
        Map<String, List<SensorReading>> engines = new LinkedHashMap<>();
        for (String id : List.of("DEV_001", "DEV_004")) {
            engines.put(id, data.readings.stream().filter(r -> r.deviceId().equals(id)).limit(40).toList());
        }
        cases = ProtocolCases.allWindows(engines, WINDOW);
    }

    @AfterAll
    static void close() {
        rul.close();
    }

    @Test
    void oneWindow_isThePlainLastWindowPrediction() {
        RegressionMetrics plain = CmapssEvaluation.regression(rul, cases);
        RegressionMetrics one = CmapssEvaluation.regressionAveraged(rul, cases, WINDOW, 1).get(0);
        assertThat(one.rmse()).isCloseTo(plain.rmse(), within(1e-9));
        assertThat(one.nasaScore()).isCloseTo(plain.nasaScore(), within(1e-9));
    }

    @Test
    void kWindows_averageTheEarlierPredictionsShiftedByTheirOffset() {
        int k = 3;
        double[] expected = new double[cases.windows().size()];
        for (int c = 0; c < expected.length; c++) {
            DeviceWindow w = cases.windows().get(c);
            List<SensorReading> r = w.readings();
            // The first cases have fewer than k earlier windows: they average what their history holds.
            int used = Math.min(k, r.size() - WINDOW + 1);
            double sum = 0;
            for (int i = 0; i < used; i++) {
                List<SensorReading> earlier = new ArrayList<>(r.subList(r.size() - WINDOW - i, r.size() - i));
                sum += rul.predict(w.deviceId(), earlier).remainingUsefulLife() - i;
            }
            expected[c] = sum / used;
        }
        RegressionMetrics manual = io.iotpm.ml.Evaluation.regression(cases.rul(), expected);
        List<RegressionMetrics> both = CmapssEvaluation.regressionAveraged(rul, cases, WINDOW, 1, k);
        assertThat(both).hasSize(2);
        assertThat(both.get(1).rmse()).isCloseTo(manual.rmse(), within(1e-4));
        assertThat(both.get(1).mae()).isCloseTo(manual.mae(), within(1e-4));
    }

    @Test
    void badNumbersOfWindows_areRejectedNamingThem() {
        assertThatThrownBy(() -> CmapssEvaluation.regressionAveraged(rul, cases, WINDOW, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> CmapssEvaluation.regressionAveraged(rul, cases, WINDOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> CmapssSettings.builder().rulAverage(51).build())
                .hasMessageContaining("rulAverage must be in [1, 50], but was 51");
    }

    @Test
    void perCaseValues_areWhatTheMetricsScore() {
        double[] estimate = CmapssEvaluation.rulEstimates(rul, cases);
        assertThat(estimate).hasSize(cases.windows().size());
        assertThat(io.iotpm.ml.Evaluation.regression(cases.rul(), estimate))
                .isEqualTo(CmapssEvaluation.regression(rul, cases));
        double[] p = CmapssEvaluation.probabilities(rul, cases);
        assertThat(p).hasSize(cases.windows().size());
        assertThat(java.util.Arrays.stream(p)).allMatch(v -> v >= 0 && v <= 1);
        // Not closed here: the ensemble would close its member, which the other tests still use.
        io.iotpm.ml.EnsemblePredictor one = io.iotpm.ml.EnsemblePredictor.of(List.of(rul));
        assertThat(CmapssEvaluation.combinedScores(one, one, cases)).containsExactly(CmapssEvaluation.combine(p, p));
    }

    @Test
    void engineWeightedRmse_countsEveryEngineOnce_howeverManyWindowsItHas() {
        // Three windows of engine A off by 1, one window of engine B off by 7: plain RMSE sqrt((3 + 49) / 4),
        // engine-weighted sqrt((1 + 49) / 2) = 5.
        io.iotpm.core.DeviceWindow a = cases.windows().get(0);
        io.iotpm.core.DeviceWindow b = cases.windows().stream().filter(w -> !w.deviceId().equals(a.deviceId()))
                .findFirst().orElseThrow();
        java.util.List<io.iotpm.core.DeviceWindow> ws = java.util.List.of(a, a, a, b);
        ProtocolCases four = new ProtocolCases("four", ws, new boolean[4], new double[] {10, 20, 30, 40});
        assertThat(CmapssEvaluation.engineWeightedRmse(four, new double[] {11, 19, 31, 47})).isCloseTo(5.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> CmapssEvaluation.engineWeightedRmse(four, new double[3]))
                .hasMessageContaining("got 3 for 4");
        double plain = CmapssEvaluation.regression(rul, cases).rmse();
        assertThat(CmapssEvaluation.engineWeightedRmse(rul, cases)).isPositive().isNotEqualTo(plain);
    }
}
