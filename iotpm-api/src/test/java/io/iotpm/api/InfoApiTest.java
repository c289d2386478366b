package io.iotpm.api;

import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.ml.registry.ModelRegistry;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.alerts.AlertManager;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class InfoApiTest {

    static StorageBackend store;
    static AlertManager alerts;
    static StreamHub hub;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;

    @TempDir
    static Path models;

    @BeforeAll
    static void start() throws IOException {
        store = StorageBackends.open("memory:");
        store.appendAll(DeviceApiTest.history("PUMP_001", 1, 30));
        store.appendAll(PredictApiTest.readings("HOT_1", 30, 95));
        alerts = AlertManager.builder().build();
        hub = StreamHub.inMemory().build();
        // Every optional feature configured, so every documented operation must be a registered route.
        server = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(20)).alerts(alerts).hub(hub)
                .trainer(RegisteringTrainer.of(TrainingApiTest.TRAINER, ModelRegistry.open(models), "test"))
                .drift(DriftMonitor.builder(DriftReference.fromReadings(SensorSchema.industrialMotor(),
                        DeviceApiTest.history("PUMP_001", 1, 60))).build()).users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        alerts.close();
        hub.close();
        store.close();
    }

    @Test
    void health_isPublic() {
        ApiClient.Response r = client.get("/api/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("healthy");
        assertThat(r.json().has("timestamp")).isTrue();
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void statsSummary_countsDevicesReadingsAndStatuses() {
        ApiClient.Response r = client.get("/api/stats/summary", viewer);
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("total_devices").asInt()).isEqualTo(2);
        assertThat(s.get("total_readings").asLong()).isEqualTo(60);
        assertThat(s.get("devices_by_status").get("CRITICAL").asInt()).isEqualTo(1);
        assertThat(s.get("devices_needing_attention").get(0).asText()).isEqualTo("HOT_1");
        assertThat(s.get("average_health_score").asDouble()).isBetween(0.0, 100.0);
    }

    @Test
    void thresholds_andModelInfo_describeTheSchema() {
        JsonNode t = client.get("/api/thresholds", viewer).json();
        assertThat(t.get("schema").asText()).isEqualTo("industrial_motor");
        assertThat(t.get("channels")).hasSize(10);
        assertThat(t.get("channels").get(0).get("name").asText()).isEqualTo("temperature");
        assertThat(t.get("channels").get(0).has("normal_max")).isTrue();
        JsonNode m = client.get("/api/model", viewer).json();
        assertThat(m.get("loaded").asBoolean()).isTrue();
        assertThat(m.get("sequence_length").asInt()).isEqualTo(20);
        assertThat(m.get("min_history").asInt()).as("a predictor that does not pad").isEqualTo(20);
    }

    @Test
    void openApi_documentsExactlyTheRegisteredRoutes() throws Exception {
        ApiClient.Response r = client.get(IotpmServer.OPENAPI_PATH, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            path.getValue().properties().forEach(e -> { String m = e.getKey();
                if (Set.of("get", "post", "put", "delete", "patch").contains(m)) {
                    documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        assertThat(documented).isEqualTo(new TreeSet<>(server.routes()));
        int full = 0;
        try (var in = IotpmServer.class.getResourceAsStream("openapi.json")) {
            for (Map.Entry<String, JsonNode> path : ApiClient.JSON.readTree(in).get("paths").properties()) {
                full += path.getValue().size();
            }
        }
        assertThat(documented).as("nothing filtered out on a fully configured server").hasSize(full);
    }

    @Test
    void openApi_marksExactlyThePublicOperationsAsNeedingNoToken() {
        JsonNode doc = client.get(IotpmServer.OPENAPI_PATH, null).json();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            boolean documentedPublic = op.getValue().has("security") && op.getValue().get("security").isEmpty();
            String url = path.getKey().replace("{id}", "1").replace("{name}", "r1");
            ApiClient.Response r = switch (op.getKey()) {
                case "get" -> client.get(url, null);
                case "delete" -> client.delete(url, null);
                default -> client.post(url, null, "{}");
            };
            assertThat(r.status() == 401).as(op.getKey() + " " + path.getKey() + " -> " + r.status())
                    .isEqualTo(!documentedPublic);
        }));
    }
}
