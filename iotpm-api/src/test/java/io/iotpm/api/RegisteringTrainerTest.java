package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.LstmTrainer;
import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.registry.ModelEntry;
import io.iotpm.ml.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A model trained through {@code POST /api/model/train} with a {@link RegisteringTrainer} is stored and
 * activated in the folder registry, and a server started again on that folder serves it at once.
 */
class RegisteringTrainerTest {

    @Test
    void trainedModel_survivesARestart_throughTheRegistry(@TempDir Path tmp) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(4).idPrefix("PUMP_").seed(7).failureProbability(1.0)
                .leadTime(Duration.ofMinutes(30), Duration.ofHours(2)).repairTime(Duration.ofMinutes(30))
                .start(start).build();
        SensorSchema schema = SensorSchema.industrialMotor();
        Path models = tmp.resolve("models");
        try (StorageBackend store = StorageBackends.open("memory:")) {
            store.appendAll(fleet.history(Duration.ofDays(1)).toList());
            fleet.events().forEach(store::appendEvent);
            RegisteringTrainer trainer = RegisteringTrainer.of(LstmTrainer.of(() -> LstmPredictor.builder(schema)
                    .sequenceLength(20).horizon(30).stride(5).layers(6).dropout(0).epochs(1).batchSize(256)
                    .seed(1)), ModelRegistry.open(models), "api");
            String version;
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).trainer(trainer)
                    .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
                ApiClient c = new ApiClient(server);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                ApiClient.Response started = c.post("/api/model/train", admin, "{\"epochs\":1}");
                assertThat(started.status()).as(started.body()).isEqualTo(202);
                long id = started.json().get("id").asLong();
                JsonNode job = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> c.get("/api/model/jobs/" + id, admin).json(), j -> j.get("finished_at").isTextual());
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                version = job.get("model_version").asText();
            }

            ModelRegistry reopened = ModelRegistry.open(models);
            ModelEntry active = reopened.active(schema.name()).orElseThrow();
            assertThat(active.version()).isEqualTo(version);
            assertThat(active.registeredBy()).isEqualTo("api");
            assertThat(active.trainingTo()).isAfter(active.trainingFrom());
            try (Predictor p = reopened.loadActive(schema).orElseThrow();
                 IotpmServer again = IotpmServer.builder().port(0).storage(store).predictor(p)
                         .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
                ApiClient c = new ApiClient(again);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                ApiClient.Response r = c.post("/api/predict/PUMP_001", admin, null);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("model_version").asText()).isEqualTo(version);
            }
        }
    }

    @Test
    void of_rejectsABlankOwner(@TempDir Path tmp) throws Exception {
        ModelRegistry registry = ModelRegistry.open(tmp);
        assertThatThrownBy(() -> RegisteringTrainer.of((request, progress) -> null, registry, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registeredBy must not be blank");
    }
}
