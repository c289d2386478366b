package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/models}: the registry's models listed with the active one marked, activation and roll-back
 * by an admin switching the model predictions come from at once, precise errors otherwise.
 */
class ModelCatalogApiTest {

    @Test
    void listActivateRollback_switchThePredictingModel(@TempDir Path tmp) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(3).idPrefix("PUMP_").seed(5).failureProbability(1.0)
                .leadTime(Duration.ofMinutes(30), Duration.ofHours(2)).repairTime(Duration.ofMinutes(30))
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        ModelRegistry registry = ModelRegistry.open(tmp.resolve("models"));
        String first;
        String second;
        try (StorageBackend store = StorageBackends.open("memory:")) {
            store.appendAll(fleet.history(Duration.ofHours(12)).toList());
            TrainingSet data = TrainingSet.of(fleet.history(Duration.ofHours(12)).toList(), fleet.events());
            try (LstmPredictor a = LstmPredictor.builder(schema).sequenceLength(20).stride(10).layers(4).epochs(1)
                    .seed(1).build();
                 LstmPredictor b = LstmPredictor.builder(schema).sequenceLength(20).stride(10).layers(4).epochs(1)
                         .seed(2).build()) {
                a.train(data);
                b.train(data);
                first = registry.register(a, new ModelRegistry.Registration("alice", null, null)).version();
                second = registry.register(b, new ModelRegistry.Registration("bob", null, null)).version();
            }
            RegisteringTrainer catalog = RegisteringTrainer.of((request, progress) -> {
                throw new IllegalStateException("not used");
            }, registry, "api", schema);
            try (Predictor startup = registry.loadActive(schema).orElseThrow();
                 IotpmServer server = IotpmServer.builder().port(0).storage(store).predictor(startup).trainer(catalog)
                         .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
                ApiClient c = new ApiClient(server);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                String viewer = c.login("vera", TestUsers.VIEWER_PW);

                JsonNode list = c.get("/api/models", viewer).json();
                assertThat(list.get("count").asInt()).isEqualTo(2);
                assertThat(list.get("models").get(0).get("version").asText()).isEqualTo(first);
                assertThat(list.get("models").get(0).get("active").asBoolean()).isTrue();
                assertThat(list.get("models").get(1).get("active").asBoolean()).isFalse();
                assertThat(list.get("models").get(1).get("registered_by").asText()).isEqualTo("bob");
                assertThat(list.get("models").get(1).get("kind").asText()).isEqualTo("iotpm-lstm");
                assertThat(version(c, admin)).isEqualTo(first);

                assertThat(c.post("/api/models/" + second + "/activate", viewer, null).status()).isEqualTo(403);
                ApiClient.Response activated = c.post("/api/models/" + second + "/activate", admin, null);
                assertThat(activated.status()).as(activated.body()).isEqualTo(200);
                assertThat(activated.json().get("active").asBoolean()).isTrue();
                assertThat(version(c, admin)).isEqualTo(second);

                ApiClient.Response back = c.post("/api/models/rollback", admin, null);
                assertThat(back.status()).as(back.body()).isEqualTo(200);
                assertThat(back.json().get("version").asText()).isEqualTo(first);
                assertThat(version(c, admin)).isEqualTo(first);
                assertThat(ModelRegistry.open(tmp.resolve("models")).active(schema.name()).orElseThrow().version())
                        .isEqualTo(first);

                ApiClient.Response none = c.post("/api/models/rollback", admin, null);
                assertThat(none.status()).isEqualTo(409);
                assertThat(none.json().get("message").asText()).contains("no earlier active model");
                ApiClient.Response unknown = c.post("/api/models/lstm-000000000000/activate", admin, null);
                assertThat(unknown.status()).isEqualTo(404);
                assertThat(unknown.json().get("message").asText()).contains("no model 'lstm-000000000000'");
            }
        }
    }

    private static String version(ApiClient c, String token) {
        ApiClient.Response r = c.post("/api/predict/PUMP_001", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("model_version").asText();
    }
}
