package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.network.LstmWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** An exported network, served by DJL's TensorFlow engine, reproduces the reference forward pass. */
class SavedModelParityTest {

    private static final int STEPS = 30;

    @BeforeAll
    static void offline() {
        TfTestSupport.offline();
        TfTestSupport.assumeExportableLocale();
    }

    @Test
    void exportedRandomNetwork_matchesReferenceOn1000Windows(@TempDir Path tmp) throws Exception {
        SensorSchema schema = SensorSchema.industrialMotor();
        LstmWeights weights = LstmReference.random(7, schema.size(), new int[] {32, 16}, new int[] {8, 1});
        List<DeviceWindow> windows = TfTestSupport.windows(1000, STEPS, 11);
        Scaler scaler = Scaler.fitMinMax(windows);
        ModelSidecar sidecar = ModelSidecar.of("random-7", TfTestSupport.channelNames(schema), STEPS)
                .withScaler(scaler);
        Path dir = tmp.resolve("model");

        SavedModelExporter.export(weights, dir, sidecar);

        assertThat(dir.resolve("saved_model.pb")).isRegularFile();
        assertThat(dir.resolve("variables")).isDirectory();
        assertThat(dir.resolve(ModelSidecar.FILE_NAME)).isRegularFile();
        try (SavedModelPredictor predictor = SavedModelPredictor.load(dir)) {
            assertThat(predictor.sequenceLength()).isEqualTo(STEPS);
            List<Prediction> served = predictor.predictBatch(windows);
            assertThat(served).hasSize(1000);
            double maxDiff = 0;
            for (int i = 0; i < windows.size(); i++) {
                double expected = LstmReference.forward(weights, TfTestSupport.scaled(windows.get(i), scaler, STEPS))[0];
                Prediction p = served.get(i);
                assertThat(p.failureProbability()).as("window %d", i).isCloseTo(expected, within(1e-4));
                assertThat(p.deviceId()).isEqualTo(windows.get(i).deviceId());
                assertThat(p.modelVersion()).isEqualTo("random-7");
                maxDiff = Math.max(maxDiff, Math.abs(p.failureProbability() - expected));
            }
            // The windows must exercise the network: not all probabilities equal.
            assertThat(served.stream().mapToDouble(Prediction::failureProbability).distinct().count()).isGreaterThan(100);
            // One window alone gives the same answer as in the batch.
            Prediction single = predictor.predict(windows.get(3).deviceId(), windows.get(3).readings());
            assertThat(single.failureProbability()).isCloseTo(served.get(3).failureProbability(), within(1e-6));
        }
        assertThat(Files.exists(TfTestSupport.DJL_CACHE.resolve("tensorflow"))).as("DJL downloaded TensorFlow").isFalse();
    }
}
