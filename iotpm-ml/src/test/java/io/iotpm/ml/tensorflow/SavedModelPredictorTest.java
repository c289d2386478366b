package io.iotpm.ml.tensorflow;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.LstmWeights;

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
        weights = LstmReference.random(3, SCHEMA.size(), new int[] {8}, new int[] {1});
        scaler = TfTestSupport.fitMinMax(TfTestSupport.windows(50, STEPS, 5), SCHEMA);
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
