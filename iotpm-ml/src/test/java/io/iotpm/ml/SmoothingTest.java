package io.iotpm.ml;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.cmapss.CmapssSettings;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The input smoothing option: the transform, its causality, validation and persistence. */
class SmoothingTest {

    private static final int STEPS = 8;

    /** Unscaled features of a {@code STEPS × 2} window through a pipeline of both synthetic channels. */
    private static float[] features(double alpha, double[] raw, int rolling) {
        FeaturePipeline p = new FeaturePipeline(Synthetic.SCHEMA, new int[] {0, 1}, false, false, rolling, 0, alpha,
                new float[0], new float[0]);
        float[] out = new float[STEPS * p.featureCount()];
        p.unscaled(raw, STEPS, out, 0);
        return out;
    }

    private static double[] window() {
        double[] raw = new double[STEPS * 2];
        for (int t = 0; t < STEPS; t++) {
            raw[t * 2] = (t % 2 == 0 ? 10 : -10) + t;   // noisy ramp
            raw[t * 2 + 1] = t * t;
        }
        return raw;
    }

    @Test
    void smoothing_isTheExponentialMovingAverageStartingAtTheFirstStep() {
        double[] raw = window();
        float[] out = features(0.25, raw, 0);
        double s0 = raw[0];
        double s1 = raw[1];
        for (int t = 0; t < STEPS; t++) {
            if (t > 0) {
                s0 = 0.25 * raw[t * 2] + 0.75 * s0;
                s1 = 0.25 * raw[t * 2 + 1] + 0.75 * s1;
            }
            assertThat((double) out[t * 2]).isCloseTo(s0, within(1e-4));
            assertThat((double) out[t * 2 + 1]).isCloseTo(s1, within(1e-4));
        }
    }

    @Test
    void smoothing_isCausal_aLaterReadingChangesNoEarlierFeature() {
        double[] raw = window();
        float[] before = features(0.3, raw, 3);
        int changed = 5;
        raw[changed * 2] += 100;
        float[] after = features(0.3, raw, 3);
        int f = before.length / STEPS;
        for (int t = 0; t < changed; t++) {
            for (int j = 0; j < f; j++) {
                assertThat(after[t * f + j]).as("feature %d at step %d", j, t).isEqualTo(before[t * f + j]);
            }
        }
        assertThat(after[changed * f]).isNotEqualTo(before[changed * f]);
    }

    @Test
    void smoothing_dampsNoise_andZeroLeavesTheInputAlone() {
        double[] raw = window();
        float[] none = features(0, raw, 0);
        for (int t = 0; t < STEPS; t++) {
            assertThat((double) none[t * 2]).isEqualTo(raw[t * 2]);
        }
        float[] smooth = features(0.2, raw, 0);
        double stepsRaw = 0;
        double stepsSmooth = 0;
        for (int t = 1; t < STEPS; t++) {
            stepsRaw += Math.abs(none[t * 2] - none[(t - 1) * 2]);
            stepsSmooth += Math.abs(smooth[t * 2] - smooth[(t - 1) * 2]);
        }
        assertThat(stepsSmooth).isLessThan(stepsRaw / 3);
    }

    @Test
    void smoothing_outsideTheOpenUnitInterval_isRejectedNamingTheValue() {
        LstmPredictor.Builder b = LstmPredictor.builder(Synthetic.SCHEMA);
        assertThatThrownBy(() -> b.smoothing(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("smoothing must be 0 (off) or in (0, 1), but was 1.0");
        assertThatThrownBy(() -> b.smoothing(-0.2)).hasMessageContaining("but was -0.2");
        assertThatThrownBy(() -> b.smoothing(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> new FeaturePipeline(Synthetic.SCHEMA, new int[] {0}, false, false, 0, 0, 2.5,
                new float[0], new float[0])).hasMessageContaining("but was 2.5");
        assertThatThrownBy(() -> new DerivedFeatures(List.of("load"), false, false, 0, 0, 1.5, new float[1],
                new float[1])).hasMessageContaining("features.smoothing must be 0 (off) or in (0, 1), but was 1.5");
        assertThatThrownBy(() -> CmapssSettings.builder().smoothing(1.0).build())
                .hasMessageContaining("smoothing must be 0 (off) or in (0, 1), but was 1.0");
        assertThat(CmapssSettings.defaults(42).smoothing()).isEqualTo(CmapssSettings.DEFAULT_SMOOTHING);
    }

    @Test
    void smoothedModel_savesItsFactor_loadsWithIt_andExportsIt(@TempDir Path dir) throws IOException {
        Synthetic data = Synthetic.fleet(6, 300, 2);
        try (LstmPredictor model = LstmPredictorTest.small().epochs(2).smoothing(0.3).build()) {
            model.train(data.set());
            assertThat(model.featurePipeline().smoothing()).isEqualTo(0.3);
            LstmNetwork n = model.network();
            assertThat(n.features().smoothing()).isEqualTo(0.3);
            List<SensorReading> window = data.lastReadings("DEV_002", 12);
            double[] raw = new double[12 * 2];
            for (int t = 0; t < 12; t++) {
                window.get(t).copyValuesTo(raw, t * 2);
            }
            // An exporter computing the features from the description reproduces the smoothed model.
            assertThat(n.forward(raw, 12)).isCloseTo(model.predict("DEV_002", window).failureProbability(),
                    within(1e-5));

            model.save(dir);
            String json = Files.readString(dir.resolve("model.json"));
            assertThat(json).contains("\"formatVersion\" : 3", "\"smoothing\" : 0.3");
            try (LstmPredictor again = Predictors.load(dir, Synthetic.SCHEMA)) {
                assertThat(again.featurePipeline()).isEqualTo(model.featurePipeline());
                for (String id : data.set().deviceIds()) {
                    assertThat(again.predict(id, data.lastReadings(id, 12)))
                            .isEqualTo(model.predict(id, data.lastReadings(id, 12)));
                }
            }
        }
    }
}
