package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.Priority;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertApiTest {

    static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());
    static StorageBackend store;
    static AlertManager alerts;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;
    static String admin;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        alerts = AlertManager.builder()
                .rule(AlertRule.named("overheat").when(r -> r.value("temperature") > 85).priority(Priority.HIGH)
                        .channel("temperature").message("{device_id}: temperature {value}").build())
                .build();
        server = IotpmServer.builder().port(0).storage(store).alerts(alerts).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        operator = client.login("oscar", TestUsers.OPERATOR_PW);
        admin = client.login("alice", TestUsers.ADMIN_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        alerts.close();
        store.close();
    }

    private static long raiseOverheat(String device) {
        List<SensorReading> hot = PredictApiTest.readings(device, 3, 95);
        assertThat(client.post("/api/readings", operator, JSON.writeAll(hot)).status()).isEqualTo(201);
        JsonNode list = client.get("/api/alerts?device_id=" + device, viewer).json().get("alerts");
        assertThat(list).hasSize(1);
        return list.get(0).get("id").asLong();
    }

    @Test
    void ingestedReadingsRaiseAlerts_thatCanBeListedAcknowledgedAndResolved() {
        long id = raiseOverheat("HOT_A");
        JsonNode a = client.get("/api/alerts/" + id, viewer).json();
        assertThat(a.get("rule").asText()).isEqualTo("overheat");
        assertThat(a.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(a.get("priority").asText()).isEqualTo("HIGH");
        assertThat(a.get("message").asText()).contains("HOT_A");

        assertThat(client.post("/api/alerts/" + id + "/acknowledge", viewer, null).status()).isEqualTo(403);
        ApiClient.Response ack = client.post("/api/alerts/" + id + "/acknowledge", operator, null);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.json().get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.json().get("acknowledged_by").asText()).isEqualTo("oscar");
        assertThat(client.post("/api/alerts/" + id + "/acknowledge", operator, null).status()).isEqualTo(409);

        ApiClient.Response resolved = client.post("/api/alerts/" + id + "/resolve", operator, null);
        assertThat(resolved.json().get("state").asText()).isEqualTo("RESOLVED");
        assertThat(client.get("/api/alerts?device_id=HOT_A", viewer).json().get("alerts")).isEmpty();
        assertThat(client.get("/api/alerts?device_id=HOT_A&state=resolved", viewer).json().get("alerts")).hasSize(1);
        assertThat(client.get("/api/alerts?state=all&priority=critical", viewer).json().get("count").asInt()).isZero();
        assertThat(client.get("/api/alerts?state=all&device_id=HOT_A&from=2000-01-01T00:00:00Z", viewer).json()
                .get("count").asInt()).isEqualTo(1);
        assertThat(client.get("/api/alerts?state=all&device_id=HOT_A&to=2000-01-01T00:00:00Z", viewer).json()
                .get("count").asInt()).isZero();
        assertThat(client.get("/api/stats/summary", viewer).json().has("active_alerts")).isTrue();
    }

    @Test
    void alertEndpointsValidateTheirInput() {
        assertThat(client.get("/api/alerts/abc", viewer).json().get("field").asText()).isEqualTo("id");
        assertThat(client.get("/api/alerts/999999", viewer).status()).isEqualTo(404);
        assertThat(client.post("/api/alerts/999999/resolve", operator, null).status()).isEqualTo(404);
        assertThat(client.get("/api/alerts?state=bogus", viewer).json().get("field").asText()).isEqualTo("state");
        assertThat(client.get("/api/alerts?priority=urgent", viewer).json().get("field").asText()).isEqualTo("priority");
        assertThat(client.get("/api/alerts?device_id=a%27b", viewer).json().get("field").asText()).isEqualTo("device_id");
    }

    @Test
    void silences_canBeCreatedListedAndRemovedByOperators() {
        ApiClient.Response bad = client.post("/api/alerts/silences", operator, "{\"rule\":\"overheat\"}");
        assertThat(bad.json().get("field").asText()).isEqualTo("duration_minutes");
        ApiClient.Response wrongType = client.post("/api/alerts/silences", operator,
                "{\"rule\":\"overheat\",\"duration_minutes\":\"ten\"}");
        assertThat(wrongType.json().get("field").asText()).isEqualTo("duration_minutes");
        ApiClient.Response made = client.post("/api/alerts/silences", operator,
                "{\"rule\":\"overheat\",\"device_id\":\"HOT_S\",\"duration_minutes\":30,\"comment\":\"maintenance\"}");
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().get("created_by").asText()).isEqualTo("oscar");
        long id = made.json().get("id").asLong();
        assertThat(client.get("/api/alerts/silences", viewer).json().get("silences").toString()).contains("HOT_S");
        assertThat(client.delete("/api/alerts/silences/" + id, viewer).status()).isEqualTo(403);
        assertThat(client.delete("/api/alerts/silences/" + id, operator).status()).isEqualTo(204);
        assertThat(client.delete("/api/alerts/silences/" + id, operator).status()).isEqualTo(404);
    }

    @Test
    void rules_areListed_andOnlyAdminsAddOrRemoveThem() {
        JsonNode rules = client.get("/api/rules", viewer).json().get("rules");
        assertThat(rules.toString()).contains("overheat");
        String rule = "{\"name\":\"low_pressure\",\"channel\":\"pressure\",\"below\":1.0,\"priority\":\"critical\"}";
        assertThat(client.post("/api/rules", operator, rule).status()).isEqualTo(403);
        ApiClient.Response added = client.post("/api/rules", admin, rule);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().get("priority").asText()).isEqualTo("CRITICAL");
        assertThat(client.post("/api/rules", admin, rule).json().get("field").asText()).isEqualTo("name");
        assertThat(client.post("/api/rules", admin, "{\"name\":\"x\",\"channel\":\"oil\",\"above\":1}").json()
                .get("field").asText()).isEqualTo("channel");
        assertThat(client.post("/api/rules", admin, "{\"name\":\"x\",\"channel\":\"rpm\"}").json()
                .get("field").asText()).isEqualTo("above");

        List<SensorReading> low = PredictApiTest.readings("LOWP_1", 1, 65);
        String json = JSON.writeAll(low).replaceFirst("\"pressure\":[0-9.]+", "\"pressure\":0.5");
        assertThat(client.post("/api/readings", operator, json).status()).isEqualTo(201);
        JsonNode raised = client.get("/api/alerts?rule=low_pressure", viewer).json();
        assertThat(raised.get("count").asInt()).isEqualTo(1);
        // Issue 17: a rule added through the API showed "pressure n/a below 1.0" and last_value null.
        assertThat(raised.get("alerts").get(0).get("last_value").asDouble()).isEqualTo(0.5);
        assertThat(raised.get("alerts").get(0).get("message").asText()).isEqualTo("LOWP_1: pressure 0.5 below 1.0");

        assertThat(client.delete("/api/rules/low_pressure", admin).status()).isEqualTo(204);
        assertThat(client.delete("/api/rules/low_pressure", admin).status()).isEqualTo(404);
    }

    @Test
    void ruleAddedThroughTheApi_showsTheValueInMessageAndLastValue() {
        String rule = "{\"name\":\"high_pressure_api\",\"channel\":\"pressure\",\"above\":11.0}";
        assertThat(client.post("/api/rules", admin, rule).status()).isEqualTo(201);
        List<SensorReading> high = PredictApiTest.readings("HIGHP_1", 1, 65);
        String json = JSON.writeAll(high).replaceFirst("\"pressure\":[0-9.]+", "\"pressure\":12.5");
        assertThat(client.post("/api/readings", operator, json).status()).isEqualTo(201);
        JsonNode alert = client.get("/api/alerts?rule=high_pressure_api", viewer).json().get("alerts").get(0);
        assertThat(alert.get("message").asText()).contains("pressure 12.5").contains("above 11.0").doesNotContain("n/a");
        assertThat(alert.get("last_value").asDouble()).isEqualTo(12.5);
        assertThat(client.delete("/api/rules/high_pressure_api", admin).status()).isEqualTo(204);
    }

    @Test
    void withoutAnAlertManager_alertEndpointsAreNotOffered() {
        try (IotpmServer bare = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(bare);
            ApiClient.Response r = c.get("/api/alerts", c.login("vera", TestUsers.VIEWER_PW));
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("error").asText()).isEqualTo("not_found");
            JsonNode paths = c.get(IotpmServer.OPENAPI_PATH, null).json().get("paths");
            assertThat(paths.has("/api/alerts")).isFalse();
            assertThat(paths.has("/api/rules")).isFalse();
            assertThat(paths.has("/api/devices")).isTrue();
        }
    }

    @Test
    void raisedAlertsReachTheLiveStream() throws Exception {
        try (SseLines lines = SseLines.open(server.url() + "/api/stream?topics=alerts", viewer)) {
            // The server registers the client before it writes this first line.
            lines.next(": iotpm live stream");
            assertThat(server.liveClients()).isPositive();
            raiseOverheat("HOT_LIVE");
            assertThat(lines.next("data:")).contains("HOT_LIVE").contains("overheat");
        }
    }
}
