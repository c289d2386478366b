package io.iotpm.ml.tensorflow;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.network.LstmWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SavedModelPredictorTest {

    private static final int STEPS = 12;
    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    @TempDir
    static Path shared;
    static Path model;
    static LstmWeights weights;
    static Scaler scaler;

    @BeforeAll
    static void exportOnce() throws Exception {
        TfTestSupport.offline();
        TfTestSupport.assumeExportableLocale();
        weights = LstmReference.random(3, SCHEMA.size(), new int[] {8}, new int[] {1});
        scaler = Scaler.fitMinMax(TfTestSupport.windows(50, STEPS, 5));
        model = shared.resolve("model");
        SavedModelExporter.export(weights, model, ModelSidecar.of("m1", TfTestSupport.channelNames(SCHEMA), STEPS)
                .withScaler(scaler).withThresholds(new RiskThresholds(0.2, 0.4, 0.6, 0.4)));
    }

    @Test
    void predict_usesSidecarThresholdsAndNewestReadings() throws Exception {
        List<DeviceWindow> windows = TfTestSupport.windows(20, STEPS + 5, 9);
        try (SavedModelPredictor p = SavedModelPredictor.load(model)) {
            for (DeviceWindow w : windows) {
                Prediction pr = p.predict(w.deviceId(), w.readings());
                double expected = LstmReference.forward(weights, TfTestSupport.scaled(w, scaler, STEPS))[0];
                assertThat(pr.failureProbability()).isCloseTo(expected, within(1e-4));
                assertThat(pr.timestamp()).isEqualTo(w.readings().get(w.readings().size() - 1).timestamp());
                RiskThresholds t = p.sidecar().thresholds();
                assertThat(pr.riskLevel()).isEqualTo(t.riskOf(pr.failureProbability()));
                assertThat(pr.maintenanceNeeded()).isEqualTo(pr.failureProbability() >= 0.4);
                assertThat(pr.hasRemainingUsefulLife()).isFalse();
            }
        }
    }

    @Test
    void predictBatch_isSafeFromManyThreads() throws Exception {
        List<DeviceWindow> windows = TfTestSupport.windows(64, STEPS, 13);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SavedModelPredictor p = SavedModelPredictor.load(model)) {
            List<Prediction> expected = p.predictBatch(windows);
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> p.predictBatch(windows)));
            }
            for (Future<List<Prediction>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingSignature_isNamedWithTheAvailableOnes() {
        assertThatThrownBy(() -> SavedModelPredictor.builder(model).signature("classify").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no signature 'classify'")
                .hasMessageContaining("[serving_default]");
    }

    @Test
    void folderWithoutSavedModel_isRejected(@TempDir Path empty) {
        assertThatThrownBy(() -> SavedModelPredictor.load(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a TensorFlow SavedModel: it has no saved_model.pb");
        assertThatThrownBy(() -> SavedModelPredictor.load(empty.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist or is not a folder");
    }

    @Test
    void corruptSavedModelPb_isRejected(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("saved_model.pb"), new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
        assertThatThrownBy(() -> SavedModelPredictor.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a TensorFlow SavedModel");
    }

    @Test
    void windowLengthDifferentFromTheGraph_isRejected() {
        ModelSidecar wrong = ModelSidecar.of("m1", TfTestSupport.channelNames(SCHEMA), STEPS + 1);
        assertThatThrownBy(() -> SavedModelPredictor.builder(model).sidecar(wrong).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes " + STEPS + " time steps but the window length is " + (STEPS + 1));
    }

    @Test
    void featureCountDifferentFromTheGraph_isRejected() {
        ModelSidecar wrong = ModelSidecar.of("m1", List.of("temperature", "rpm"), STEPS);
        assertThatThrownBy(() -> SavedModelPredictor.builder(model).sidecar(wrong).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes " + SCHEMA.size() + " features per time step but there are 2 channels");
    }

    @Test
    void modelChannelMissingFromTheSchema_isRejected() {
        SensorSchema small = SensorSchema.builder("small")
                .channel(Channel.builder("temperature").unit("C").nominal(60).normalRange(20, 80).physicalRange(-40, 200))
                .build();
        assertThatThrownBy(() -> SavedModelPredictor.builder(model).schema(small).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model channel 'vibration_x' is not in schema 'small'");
    }

    @Test
    void tooShortWindow_isRejected() throws Exception {
        DeviceWindow w = TfTestSupport.windows(1, STEPS - 1, 1).get(0);
        try (SavedModelPredictor p = SavedModelPredictor.load(model)) {
            assertThatThrownBy(() -> p.predict(w.deviceId(), w.readings()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has " + (STEPS - 1) + " readings but the model needs " + STEPS);
        }
    }

    @Test
    void readingOfAnotherSchema_isRejected() throws Exception {
        SensorSchema other = SensorSchema.builder("other")
                .channel(Channel.builder("temperature").unit("C").nominal(60).normalRange(20, 80).physicalRange(-40, 200))
                .build();
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            readings.add(SensorReading.of("D1", Instant.EPOCH.plusSeconds(i), other, 50));
        }
        try (SavedModelPredictor p = SavedModelPredictor.load(model)) {
            assertThatThrownBy(() -> p.predict("D1", readings))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has schema 'other' but the predictor expects");
        }
    }

    @Test
    void withoutSidecar_takesWindowLengthFromSignatureAndRawInputs(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("bare");
        SavedModelExporter.export(weights, copy, ModelSidecar.of("x", TfTestSupport.channelNames(SCHEMA), STEPS));
        Files.delete(copy.resolve(ModelSidecar.FILE_NAME));
        DeviceWindow w = TfTestSupport.windows(1, STEPS, 4).get(0);
        try (SavedModelPredictor p = SavedModelPredictor.builder(copy).modelVersion("bare-1").build()) {
            assertThat(p.sequenceLength()).isEqualTo(STEPS);
            Prediction pr = p.predict(w.deviceId(), w.readings());
            double expected = LstmReference.forward(weights, TfTestSupport.scaled(w, Scaler.none(), STEPS))[0];
            assertThat(pr.failureProbability()).isCloseTo(expected, within(1e-4));
            assertThat(pr.modelVersion()).isEqualTo("bare-1");
            assertThat(pr.riskLevel()).isEqualTo(RiskThresholds.DEFAULT.riskOf(expected));
        }
    }

    @Test
    void threads_configureTheSessionAndRejectZero() throws Exception {
        assertThatThrownBy(() -> SavedModelPredictor.builder(model).threads(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intraOp 0");
        DeviceWindow w = TfTestSupport.windows(1, STEPS, 2).get(0);
        try (SavedModelPredictor one = SavedModelPredictor.builder(model).threads(1, 1).build();
             SavedModelPredictor dflt = SavedModelPredictor.load(model)) {
            assertThat(one.predict(w.deviceId(), w.readings()).failureProbability())
                    .isCloseTo(dflt.predict(w.deviceId(), w.readings()).failureProbability(), within(1e-6));
        }
    }

    @Test
    void rulOutput_givesRemainingLifeAndItsScore(@TempDir Path tmp) throws Exception {
        LstmWeights base = LstmReference.random(21, SCHEMA.size(), new int[] {8}, new int[] {1});
        // A regression head: ReLU scaled to cycles, as the PyTorch LSTM's RUL task exports it.
        LstmWeights.DenseLayer d = base.dense().get(0);
        float[] w = d.w().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= 40;
        }
        LstmWeights rulNet = new LstmWeights(base.inputSize(), base.lstm(),
                List.of(new LstmWeights.DenseLayer(1, w, new float[] {12f}, LstmWeights.Activation.RELU)));
        Path dir = tmp.resolve("rul");
        SavedModelExporter.export(rulNet, dir, ModelSidecar.of("rul-1", TfTestSupport.channelNames(SCHEMA), STEPS)
                .withScaler(scaler).withRulOutput(10));
        List<DeviceWindow> windows = TfTestSupport.windows(40, STEPS, 17);
        try (SavedModelPredictor p = SavedModelPredictor.load(dir)) {
            assertThat(p.sidecar().outputKind()).isEqualTo(ModelSidecar.OutputKind.RUL);
            List<Prediction> served = p.predictBatch(windows);
            for (int i = 0; i < windows.size(); i++) {
                Prediction pr = served.get(i);
                DeviceWindow w0 = windows.get(i);
                double rul = LstmReference.forward(rulNet, TfTestSupport.scaled(w0, scaler, STEPS))[0];
                assertThat(pr.remainingUsefulLife()).isCloseTo(rul, within(1e-3));
                assertThat(pr.failureProbability()).isCloseTo(1 / (1 + Math.exp(-(10 - rul) / 2.0)), within(1e-4));
                assertThat(pr.maintenanceNeeded()).isEqualTo(pr.remainingUsefulLife() <= 10);
            }
        }
    }

    /** Temperature and a derived vibration magnitude, as a trainer's feature pipeline would give. */
    static final class MagnitudeEncoder implements FeatureEncoder {
        private final int t = SCHEMA.requireIndex("temperature");
        private final int x = SCHEMA.requireIndex("vibration_x");
        private final int y = SCHEMA.requireIndex("vibration_y");
        private final int z = SCHEMA.requireIndex("vibration_z");

        @Override
        public int featureCount() {
            return 2;
        }

        @Override
        public void encode(double[] raw, int steps, float[] out, int offset) {
            int w = SCHEMA.size();
            for (int s = 0; s < steps; s++) {
                int r = s * w;
                out[offset + 2 * s] = (float) ((raw[r + t] - 60) / 10);
                out[offset + 2 * s + 1] = (float) Math.sqrt(raw[r + x] * raw[r + x] + raw[r + y] * raw[r + y]
                        + raw[r + z] * raw[r + z]);
            }
        }
    }

    @Test
    void customEncoder_feedsDerivedFeatures(@TempDir Path tmp) throws Exception {
        LstmWeights net = LstmReference.random(5, 2, new int[] {6}, new int[] {1});
        Path dir = tmp.resolve("derived");
        SavedModelExporter.export(net, dir, ModelSidecar.of("d", List.of("temperature", "vibration_magnitude"), STEPS));
        assertThatThrownBy(() -> SavedModelPredictor.load(dir))
                .hasMessageContaining("model channel 'vibration_magnitude' is not in schema");
        MagnitudeEncoder enc = new MagnitudeEncoder();
        List<DeviceWindow> windows = TfTestSupport.windows(30, STEPS, 8);
        try (SavedModelPredictor p = SavedModelPredictor.builder(dir).encoder(enc).build()) {
            List<Prediction> served = p.predictBatch(windows);
            for (int i = 0; i < windows.size(); i++) {
                double[] raw = new double[STEPS * SCHEMA.size()];
                for (int s = 0; s < STEPS; s++) {
                    windows.get(i).readings().get(s).copyValuesTo(raw, s * SCHEMA.size());
                }
                float[] encoded = new float[STEPS * 2];
                enc.encode(raw, STEPS, encoded, 0);
                double[][] x = new double[STEPS][];
                for (int s = 0; s < STEPS; s++) {
                    x[s] = new double[] {encoded[2 * s], encoded[2 * s + 1]};
                }
                assertThat(served.get(i).failureProbability()).isCloseTo(LstmReference.forward(net, x)[0], within(1e-4));
            }
        }
        FeatureEncoder three = new FeatureEncoder() {
            @Override
            public int featureCount() {
                return 3;
            }

            @Override
            public void encode(double[] raw, int steps, float[] out, int offset) {
            }
        };
        assertThatThrownBy(() -> SavedModelPredictor.builder(dir).encoder(three).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the encoder gives 3 features but model.json names 2");
    }

    @Test
    void closedPredictor_refusesToPredict() throws Exception {
        DeviceWindow w = TfTestSupport.windows(1, STEPS, 1).get(0);
        SavedModelPredictor p = SavedModelPredictor.load(model);
        p.close();
        p.close();
        assertThatThrownBy(() -> p.predict(w.deviceId(), w.readings()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void export_refusesNonEmptyFolderAndChannelMismatch(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "data");
        ModelSidecar sidecar = ModelSidecar.of("x", TfTestSupport.channelNames(SCHEMA), STEPS);
        assertThatThrownBy(() -> SavedModelExporter.export(weights, tmp, sidecar))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists and is not empty");
        assertThat(tmp.resolve("keep.txt")).hasContent("data");
        ModelSidecar fewer = ModelSidecar.of("x", List.of("temperature"), STEPS);
        assertThatThrownBy(() -> SavedModelExporter.export(weights, tmp.resolve("m"), fewer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lists 1 channels but the network takes " + SCHEMA.size() + " features");
        assertThat(tmp.resolve("m")).doesNotExist();
    }
}
