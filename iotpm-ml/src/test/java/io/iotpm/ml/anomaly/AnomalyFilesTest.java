package io.iotpm.ml.anomaly;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The detector's model folder: a round trip, and precise refusals of what is not its model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyFilesTest {

    private final Synthetic fleet = Synthetic.fleet(4, 300, 3);
    private AnomalyDetector detector;
    @TempDir
    Path tmp;

    @BeforeAll
    void train() {
        detector = AnomalyDetector.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).hiddenSize(6).epochs(2)
                .batchSize(64).seed(3).build();
        detector.train(fleet.set());
    }

    @AfterAll
    void close() {
        detector.close();
    }

    private Path saved(String name) throws IOException {
        Path dir = tmp.resolve(name);
        detector.save(dir);
        return dir;
    }

    @Test
    void saveThenLoad_givesTheSameScoresVersionAndThreshold() throws IOException {
        Path dir = saved("roundtrip");
        List<SensorReading> w = fleet.lastReadings("DEV_001", 12);
        try (AnomalyDetector again = AnomalyDetector.load(dir, Synthetic.SCHEMA)) {
            assertThat(again.version()).isEqualTo(detector.version());
            assertThat(again.threshold()).isEqualTo(detector.threshold());
            assertThat(again.config()).isEqualTo(detector.config());
            assertThat(again.metrics()).isEqualTo(detector.metrics());
            assertThat(again.predictBatch(List.of(new DeviceWindow("DEV_001", w))))
                    .isEqualTo(detector.predictBatch(List.of(new DeviceWindow("DEV_001", w))));
        }
        assertThat(Files.readString(dir.resolve("model.json"))).contains("\"kind\" : \"iotpm-lstm-autoencoder\"");
    }

    @Test
    void load_refusesAnotherSchema_namingBoth() throws IOException {
        Path dir = saved("schema");
        SensorSchema other = SensorSchema.builder("other")
                .channel(Channel.builder("level").nominal(1).normalRange(0, 2).physicalRange(-10, 10)).build();
        assertThatThrownBy(() -> AnomalyDetector.load(dir, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema 'synthetic' (2 channels: load, temp)")
                .hasMessageContaining("schema 'other' (1 channels: level) was expected");
    }

    @Test
    void load_refusesANewerFormatVersion() throws IOException {
        Path dir = saved("newer");
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        assertThatThrownBy(() -> AnomalyDetector.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("format version 2, newer than the 1").hasMessageContaining("upgrade iotpm-ml");
    }

    @Test
    void load_refusesTheSupervisedLstmsFolder_andTheLstmRefusesThis() throws IOException {
        Path dir = saved("kind");
        try (LstmPredictor lstm = LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).layers(4)
                .epochs(1).build()) {
            lstm.train(fleet.set());
            Path lstmDir = tmp.resolve("lstm");
            lstm.save(lstmDir);
            assertThatThrownBy(() -> AnomalyDetector.load(lstmDir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("kind \"iotpm-lstm\", not an anomaly detector");
        }
        assertThatThrownBy(() -> io.iotpm.ml.Predictors.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an iotpm LSTM model");
    }

    @Test
    void load_refusesTruncatedParameters_andTruncatedJson() throws IOException {
        Path dir = saved("truncated");
        byte[] params = Files.readAllBytes(dir.resolve("model.params"));
        Files.write(dir.resolve("model.params"), java.util.Arrays.copyOf(params, params.length - 10));
        assertThatThrownBy(() -> AnomalyDetector.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or replaced");
        String json = Files.readString(dir.resolve("model.json"));
        Files.write(dir.resolve("model.json"), json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AnomalyDetector.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or not valid JSON");
    }

    @Test
    void load_ofAnEmptyFolder_saysTheModelIsMissing() {
        assertThatThrownBy(() -> AnomalyDetector.load(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("model.json is missing");
    }
}
