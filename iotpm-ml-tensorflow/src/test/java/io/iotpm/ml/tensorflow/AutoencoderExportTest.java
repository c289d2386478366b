package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.anomaly.AnomalyScore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A Java-trained LSTM autoencoder, exported as a SavedModel with {@code "output_kind": "reconstruction"}
 * and served by DJL's TensorFlow engine, gives the detector's predictions; a sequence output without
 * that kind fails at {@code build()}.
 */
class AutoencoderExportTest {

    private static final int STEPS = 16;
    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    static AnomalyDetector detector;

    @BeforeAll
    static void train() {
        TfTestSupport.offline();
        TfTestSupport.assumeExportableLocale();
        Fleet fleet = Fleet.builder().devices(4).idPrefix("M_").seed(3).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        detector = AnomalyDetector.builder(SCHEMA).sequenceLength(STEPS).stride(8).horizon(30).hiddenSize(10)
                .epochs(2).batchSize(128).seed(5).build();
        detector.train(TrainingSet.of(fleet.history(Duration.ofHours(30)).toList(), fleet.events()));
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void exportedAutoencoder_servesTheDetectorsPredictions_within1e4(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ae");
        ModelSidecar written = SavedModelExporter.export(detector, dir);
        assertThat(written.outputKind()).isEqualTo(ModelSidecar.OutputKind.RECONSTRUCTION);
        assertThat(Files.readString(dir.resolve("model.json"))).contains("\"output_kind\" : \"reconstruction\"");
        List<DeviceWindow> windows = TfTestSupport.windows(500, STEPS, 23);
        List<Prediction> pytorch = detector.predictBatch(windows);
        List<AnomalyScore> scores = detector.scoreBatch(windows);
        try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
            List<Prediction> served = tf.predictBatch(windows);
            // The windows must differ in score, or parity would prove little.
            assertThat(scores.stream().mapToDouble(AnomalyScore::score).distinct().count()).isGreaterThan(100);
            for (int i = 0; i < windows.size(); i++) {
                Prediction a = pytorch.get(i);
                Prediction b = served.get(i);
                double margin = Math.abs(scores.get(i).score() / scores.get(i).threshold() - 1);
                assertThat(b.failureProbability()).as("window %d", i).isCloseTo(a.failureProbability(), within(1e-4));
                assertThat(b.modelVersion()).isEqualTo(a.modelVersion()).isEqualTo(detector.version());
                assertThat(b.hasRemainingUsefulLife()).isFalse();
                if (margin > 1e-4) {
                    assertThat(b.maintenanceNeeded()).as("window %d", i).isEqualTo(a.maintenanceNeeded());
                    assertThat(b.riskLevel()).as("window %d", i).isEqualTo(a.riskLevel());
                }
                for (Map.Entry<String, Double> c : a.contributions().entrySet()) {
                    assertThat(b.contributions().get(c.getKey())).as("window %d channel %s", i, c.getKey())
                            .isCloseTo(c.getValue(), within(1e-4 * Math.max(1, c.getValue())));
                }
            }
        }
    }

    @Test
    void sequenceOutputWithoutReconstructionKind_failsAtBuild_sayingWhatToSet(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("keras-like");
        ModelSidecar written = SavedModelExporter.export(detector, dir);
        // A Keras autoencoder shipped with a probability sidecar: [batch, T, F] out, no output_kind.
        ModelSidecar plain = new ModelSidecar(written.modelVersion(), written.channels(), written.sequenceLength(),
                written.scaler(), RiskThresholds.DEFAULT, written.signature(), written.input(), written.output(),
                ModelSidecar.OutputKind.PROBABILITY, 0, written.features());
        plain.write(dir);
        assertThatThrownBy(() -> SavedModelPredictor.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has shape [-1, " + STEPS + ", " + SCHEMA.size() + "]")
                .hasMessageContaining("\"output_kind\": \"reconstruction\"");
    }

    @Test
    void reconstructionKind_onAProbabilityOutput_failsAtBuild(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("lstm-as-ae");
        Path ae = tmp.resolve("ae");
        ModelSidecar aeSidecar = SavedModelExporter.export(detector, ae);
        try (io.iotpm.ml.LstmPredictor lstm = io.iotpm.ml.LstmPredictor.builder(SCHEMA).sequenceLength(STEPS)
                .layers(4).epochs(1).stride(8).horizon(30).build()) {
            Fleet fleet = Fleet.builder().devices(2).seed(4).failureProbability(1.0)
                    .start(Instant.parse("2026-01-01T00:00:00Z")).build();
            lstm.train(TrainingSet.of(fleet.history(Duration.ofHours(20)).toList(), fleet.events()));
            ModelSidecar s = SavedModelExporter.export(lstm, dir);
            s.withReconstructionOutput(aeSidecar.anomaly().orElseThrow()).write(dir);
        }
        assertThatThrownBy(() -> SavedModelPredictor.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output_kind reconstruction needs [batch, " + STEPS);
    }

    @Test
    void sidecar_rejectsReconstructionWithoutAnomalyCalibration() {
        String json = "{\"channels\": [\"a\"], \"sequence_length\": 3, \"output_kind\": \"reconstruction\"}";
        assertThatThrownBy(() -> ModelSidecar.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anomaly (threshold, healthy_median) must be given for a reconstruction output");
        ModelSidecar ok = ModelSidecar.parse("{\"channels\": [\"a\"], \"sequence_length\": 3, \"output_kind\":"
                + " \"reconstruction\", \"anomaly\": {\"threshold\": 0.5, \"healthy_median\": 0.1}}");
        assertThat(ModelSidecar.parse(ok.toJson())).isEqualTo(ok);
    }
}
