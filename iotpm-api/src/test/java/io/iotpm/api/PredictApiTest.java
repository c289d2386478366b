package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class PredictApiTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static final List<Prediction> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        store.appendAll(readings("HOT_1", 30, 95));
        store.appendAll(readings("COOL_1", 30, 65));
        store.appendAll(readings("SHORT_1", 5, 65));
        server = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(20))
                .listener(new MonitoringListener() {
                    @Override
                    public void onPrediction(Prediction p) {
                        seen.add(p);
                    }
                })
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    /** Readings at nominal values except temperature, with a known health score. */
    static List<SensorReading> readings(String id, int n, double temperature) {
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SensorReading.Builder b = SensorReading.builder(SCHEMA).deviceId(id).timestamp(START.plus(Duration.ofMinutes(i)));
            SCHEMA.channels().forEach(c -> b.value(c.name(), c.nominal()));
            out.add(b.value("temperature", temperature).healthScore(temperature > 90 ? 35 : 95).build());
        }
        return out;
    }

    @Test
    void predict_returnsTheOriginalFieldNames() {
        ApiClient.Response r = client.post("/api/predict/HOT_1", viewer, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode p = r.json();
        assertThat(p.get("device_id").asText()).isEqualTo("HOT_1");
        assertThat(p.get("maintenance_probability").asDouble()).isEqualTo(1.0);
        assertThat(p.get("risk_level").asText()).isEqualTo("CRITICAL");
        assertThat(p.get("maintenance_needed").asBoolean()).isTrue();
        assertThat(p.get("health_score").asDouble()).isEqualTo(35.0);
        assertThat(p.get("status").asText()).isEqualTo("CRITICAL");
        assertThat(p.get("model_version").asText()).isEqualTo("test-rule-1");
        assertThat(p.get("remaining_useful_life").isNull()).isTrue();
        // Issue 18: the predictor's explanation, channel to score, largest first.
        assertThat(p.get("contributions").get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(p.get("timestamp").asText()).isEqualTo(START.plus(Duration.ofMinutes(29)).toString());
        assertThat(seen).anyMatch(x -> x.deviceId().equals("HOT_1"));
    }

    @Test
    void predict_answers422WhenTheDeviceHasTooFewReadingsAnd404WhenItHasNone() {
        ApiClient.Response shortWindow = client.post("/api/predict/SHORT_1", viewer, null);
        assertThat(shortWindow.status()).isEqualTo(422);
        assertThat(shortWindow.json().get("error").asText()).isEqualTo("insufficient_data");
        assertThat(shortWindow.json().get("message").asText()).contains("5 readings").contains("20");
        assertThat(client.post("/api/predict/GHOST", viewer, null).status()).isEqualTo(404);
        assertThat(client.post("/api/predict/bad%20id", viewer, null).status()).isEqualTo(400);
    }

    @Test
    void batch_predictsEveryDeviceAndListsTheSkippedOnes() {
        ApiClient.Response r = client.post("/api/predict/batch", viewer, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode predictions = r.json().get("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).get("device_id").asText()).isEqualTo("COOL_1");
        assertThat(predictions.get(0).get("maintenance_needed").asBoolean()).isFalse();
        assertThat(predictions.get(0).get("risk_level").asText()).isEqualTo("LOW");
        assertThat(predictions.get(1).get("maintenance_probability").asDouble()).isEqualTo(1.0);
        assertThat(r.json().get("skipped").get(0).get("device_id").asText()).isEqualTo("SHORT_1");
    }

    @Test
    void batch_acceptsAnExplicitDeviceListAndValidatesIt() {
        ApiClient.Response r = client.post("/api/predict/batch", viewer, "{\"device_ids\":[\"HOT_1\"]}");
        assertThat(r.json().get("predictions")).hasSize(1);
        ApiClient.Response bad = client.post("/api/predict/batch", viewer, "{\"device_ids\":[\"HOT_1\",\"../x\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("device_ids[1]");
        ApiClient.Response wrongType = client.post("/api/predict/batch", viewer, "{\"device_ids\":\"HOT_1\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).isEqualTo("device_ids");
    }

    @Test
    void aPaddingPredictor_isAskedFromItsMinimumHistoryOn() {
        try (IotpmServer padded = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(20, 5))
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(padded);
            String token = c.login("vera", TestUsers.VIEWER_PW);
            ApiClient.Response r = c.post("/api/predict/SHORT_1", token, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("timestamp").asText()).isEqualTo(START.plus(Duration.ofMinutes(4)).toString());
            ApiClient.Response batch = c.post("/api/predict/batch", token, null);
            assertThat(batch.json().get("predictions")).hasSize(3);
            assertThat(batch.json().get("skipped")).isEmpty();
            ApiClient.Response model = c.get("/api/model", token);
            assertThat(model.json().get("sequence_length").asInt()).isEqualTo(20);
            assertThat(model.json().get("min_history").asInt()).isEqualTo(5);
        }
    }

    @Test
    void predict_withoutAPredictorAnswers503() {
        try (IotpmServer bare = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(bare);
            String token = c.login("vera", TestUsers.VIEWER_PW);
            ApiClient.Response r = c.post("/api/predict/HOT_1", token, null);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").asText()).isEqualTo("no_model");
        }
    }
}
