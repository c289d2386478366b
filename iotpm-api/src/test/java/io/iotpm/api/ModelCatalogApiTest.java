package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/models}: the registry's models listed with the active one marked, activation and roll-back
 * by an admin switching the model predictions come from at once, precise errors otherwise.
 */
class ModelCatalogApiTest {

    @Test
    void listActivateRollback_switchThePredictingModel(@TempDir Path tmp) throws Exception {
        SensorSchema schema = SensorSchema.industrialMotor();
        try (StorageBackend store = StorageBackends.open("memory:")) {
            TwoRegisteredModels m = TwoRegisteredModels.create(tmp.resolve("models"), store);
            ModelRegistry registry = m.registry();
            RegisteringTrainer catalog = m.catalog();
            String first = m.first();
            String second = m.second();
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

    @Test
    void activation_rebasesDriftOnTheModelsTrainingRange_andAModelWithoutOneKeepsTheReference(@TempDir Path tmp)
            throws Exception {
        SensorSchema schema = SensorSchema.industrialMotor();
        Instant from = Instant.parse("2026-01-01T02:00:00Z");
        Instant to = Instant.parse("2026-01-01T08:00:00Z");
        try (StorageBackend store = StorageBackends.open("memory:")) {
            TwoRegisteredModels m = TwoRegisteredModels.create(tmp.resolve("models"), store, from, to);
            List<SensorReading> other = Fleet.builder().devices(3).idPrefix("FAN_").seed(9)
                    .start(Instant.parse("2025-01-01T00:00:00Z")).build().history(Duration.ofHours(3)).toList();
            DriftReference initial = DriftReference.fromReadings(schema, other);
            DriftMonitor drift = DriftMonitor.builder(initial).window(100).build();
            try (Predictor startup = m.registry().loadActive(schema).orElseThrow();
                 IotpmServer server = IotpmServer.builder().port(0).storage(store).predictor(startup)
                         .trainer(m.catalog()).drift(drift).users(TestUsers.store()).jwtSecret(TestUsers.SECRET)
                         .build().start()) {
                ApiClient c = new ApiClient(server);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                other.subList(0, 200).forEach(drift::onReading);
                assertThat(drift.groups()).containsExactly(DriftMonitor.FLEET);

                assertThat(c.post("/api/models/" + m.second() + "/activate", admin, null).status()).isEqualTo(200);
                List<SensorReading> training = new ArrayList<>();
                store.devices().forEach(d -> training.addAll(store.range(d.deviceId(), from, to)));
                assertThat(training).isNotEmpty();
                assertThat(drift.reference().toJson())
                        .isEqualTo(DriftReference.fromReadings(schema, training).toJson())
                        .isNotEqualTo(initial.toJson());
                assertThat(drift.groups()).as("windows start afresh").isEmpty();
                assertThat(c.get("/api/drift", admin).status()).isEqualTo(200);

                DriftReference second = drift.reference();
                assertThat(c.post("/api/models/rollback", admin, null).status()).isEqualTo(200);
                assertThat(drift.reference()).as("the first model names no training range").isSameAs(second);
            }
        }
    }

    private static String version(ApiClient c, String token) {
        ApiClient.Response r = c.post("/api/predict/PUMP_001", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("model_version").asText();
    }
}
