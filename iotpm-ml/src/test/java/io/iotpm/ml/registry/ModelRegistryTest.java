package io.iotpm.ml.registry;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Synthetic;
import io.iotpm.ml.anomaly.AnomalyDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder registry: entries, one active model per schema, activation and roll-back that survive a reopen. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelRegistryTest {

    private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ModelRegistry.Registration BY_ADMIN =
            new ModelRegistry.Registration("admin", Synthetic.T0, Synthetic.T0.plusSeconds(3600));

    private final Synthetic fleet = Synthetic.fleet(4, 300, 3);
    private LstmPredictor lstm;
    private LstmPredictor lstm2;
    private AnomalyDetector ae;
    @TempDir
    Path tmp;

    @BeforeAll
    void train() {
        lstm = LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).layers(4).epochs(1).seed(1).build();
        lstm.train(fleet.set());
        lstm2 = LstmPredictor.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).layers(4).epochs(1).seed(2).build();
        lstm2.train(fleet.set());
        ae = AnomalyDetector.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).hiddenSize(4).epochs(1).build();
        ae.train(fleet.set());
    }

    @AfterAll
    void close() {
        lstm.close();
        lstm2.close();
        ae.close();
    }

    @Test
    void register_recordsVersionKindSchemaRangeMetricsWhoAndWhen_andActivatesTheFirst() throws IOException {
        ModelRegistry r = ModelRegistry.open(tmp.resolve("reg"), CLOCK);
        ModelEntry e = r.register(lstm, BY_ADMIN);
        assertThat(e.version()).isEqualTo(lstm.version());
        assertThat(e.kind()).isEqualTo("iotpm-lstm");
        assertThat(e.schema()).isEqualTo("synthetic");
        assertThat(e.trainingFrom()).isEqualTo(Synthetic.T0);
        assertThat(e.trainingTo()).isEqualTo(Synthetic.T0.plusSeconds(3600));
        assertThat(e.metrics()).isEqualTo(lstm.metrics());
        assertThat(e.registeredBy()).isEqualTo("admin");
        assertThat(e.registeredAt()).isEqualTo(NOW);
        assertThat(r.active("synthetic")).contains(e);
        ModelEntry second = r.register(ae, new ModelRegistry.Registration("operator", null, null));
        assertThat(second.kind()).isEqualTo("iotpm-lstm-autoencoder");
        assertThat(r.active("synthetic")).contains(e);
        assertThat(r.register(lstm, BY_ADMIN)).isEqualTo(e);
        assertThat(r.list()).containsExactly(e, second);
    }

    @Test
    void activateAndRollback_surviveAReopen_withExactlyOneActivePerSchema() throws IOException {
        Path dir = tmp.resolve("restart");
        ModelRegistry r = ModelRegistry.open(dir, CLOCK);
        ModelEntry a = r.register(lstm, BY_ADMIN);
        ModelEntry b = r.register(lstm2, BY_ADMIN);
        ModelEntry c = r.register(ae, BY_ADMIN);
        r.activate(b.version());
        r.activate(c.version());
        assertThat(r.active("synthetic")).contains(c);

        ModelRegistry reopened = ModelRegistry.open(dir, CLOCK);
        assertThat(reopened.list()).containsExactly(a, b, c);
        assertThat(reopened.active("synthetic")).contains(c);
        assertThat(reopened.rollback("synthetic")).isEqualTo(b);
        assertThat(ModelRegistry.open(dir, CLOCK).active("synthetic")).contains(b);
        assertThat(reopened.rollback("synthetic")).isEqualTo(a);
        assertThatThrownBy(() -> reopened.rollback("synthetic")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no earlier active model").hasMessageContaining(a.version());
        try (Predictor p = reopened.loadActive(Synthetic.SCHEMA).orElseThrow()) {
            List<DeviceWindow> w = List.of(new DeviceWindow("DEV_001", fleet.lastReadings("DEV_001", 12)));
            assertThat(p.predictBatch(w).get(0).modelVersion()).isEqualTo(a.version());
            assertThat(p.predictBatch(w)).isEqualTo(lstm.predictBatch(w));
        }
    }

    @Test
    void load_refusesAnotherSchema_andUnknownVersions() throws IOException {
        ModelRegistry r = ModelRegistry.open(tmp.resolve("schema"), CLOCK);
        ModelEntry e = r.register(ae, BY_ADMIN);
        SensorSchema other = SensorSchema.builder("other")
                .channel(Channel.builder("level").nominal(1).normalRange(0, 2).physicalRange(-10, 10)).build();
        assertThatThrownBy(() -> r.load(e.version(), other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema 'other'");
        assertThat(r.loadActive(other)).isEmpty();
        assertThatThrownBy(() -> r.activate("lstm-000000000000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no model 'lstm-000000000000'").hasMessageContaining(e.version());
    }

    @Test
    void importsASavedFolder_checkingIt_andRefusesANewerIndexFormat() throws IOException {
        Path saved = tmp.resolve("saved");
        lstm2.save(saved);
        Path dir = tmp.resolve("import");
        ModelRegistry r = ModelRegistry.open(dir, CLOCK);
        assertThat(r.register(saved, BY_ADMIN).version()).isEqualTo(lstm2.version());
        Path broken = tmp.resolve("broken");
        ae.save(broken);
        Files.write(broken.resolve("model.params"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> r.register(broken, BY_ADMIN)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or replaced");
        assertThat(r.list()).hasSize(1);
        Path index = dir.resolve("registry.json");
        Files.writeString(index, Files.readString(index).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertThatThrownBy(() -> ModelRegistry.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("format version 7, newer than the 1").hasMessageContaining("upgrade iotpm-ml");
    }
}
