package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/drift} on a server whose drift monitor was built from a simulated fleet's training week,
 * fed with readings ingested through {@code POST /api/readings} whose voltage is 6 V off.
 */
class DriftApiTest {

    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final ReadingJson JSON = ReadingJson.of(MOTOR);
    static StorageBackend store;
    static AlertManager alerts;
    static DriftMonitor drift;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;
    static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = Fleet.builder().devices(3).seed(5).failureProbability(0).start(T0)
                .interval(Duration.ofMinutes(5)).build();
        drift = DriftMonitor.builder(DriftReference.fromReadings(MOTOR, fleet.history(Duration.ofDays(3)).toList()))
                .window(600).build();
        store = StorageBackends.open("memory:");
        alerts = AlertManager.builder().tickInterval(Duration.ZERO).build();
        server = IotpmServer.builder().port(0).storage(store).alerts(alerts).drift(drift).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        operator = client.login("oscar", TestUsers.OPERATOR_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        alerts.close();
        store.close();
    }

    @Test
    void drift_isPerChannel_showsTheShiftedChannel_andRaisesItsDefaultAlert() {
        assertThat(alerts.rules()).extracting(r -> r.name()).contains("drift.voltage", "drift.temperature");
        JsonNode empty = client.get("/api/drift", viewer).json();
        assertThat(empty.get("threshold").asDouble()).isEqualTo(0.2);
        assertThat(empty.get("window").asInt()).isEqualTo(600);
        assertThat(empty.get("channels")).isEmpty();

        int voltage = MOTOR.requireIndex("voltage");
        postShifted(client, operator, fleet, "voltage", 6, 240);

        ApiClient.Response r = client.get("/api/drift", viewer);
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("readings").asLong()).isEqualTo(720);
        assertThat(body.get("groups")).hasSize(1);
        assertThat(body.get("groups").get(0).asText()).isEqualTo(DriftMonitor.FLEET);
        JsonNode channels = body.get("channels");
        assertThat(channels).hasSize(MOTOR.size());
        JsonNode v = channels.get(voltage);
        assertThat(v.get("channel").asText()).isEqualTo("voltage");
        assertThat(v.get("group").asText()).isEqualTo("fleet");
        assertThat(v.get("count").asInt()).isEqualTo(600);
        assertThat(v.get("psi").asDouble()).isGreaterThan(0.25);
        assertThat(v.get("level").asText()).isEqualTo("MAJOR");
        assertThat(v.get("ready").asBoolean()).isTrue();
        assertThat(v.get("drifting").asBoolean()).isTrue();
        assertThat(v.get("threshold").asDouble()).isEqualTo(0.2);

        JsonNode open = client.get("/api/alerts?device_id=DEVICE_001", viewer).json().get("alerts");
        List<String> rules = new ArrayList<>();
        open.forEach(a -> rules.add(a.get("rule").asText()));
        assertThat(rules).contains("drift.voltage");
        assertThat(alerts.active()).filteredOn(a -> a.rule().equals("drift.voltage")).extracting(Alert::deviceId)
                .containsExactlyInAnyOrderElementsOf(fleet.deviceIds());
    }

    /** Posts {@code steps} rounds of the fleet's readings with {@code channel} moved by {@code offset}, 60 rounds a request. */
    static void postShifted(ApiClient client, String operator, Fleet fleet, String channel, double offset, int steps) {
        int c = MOTOR.requireIndex(channel);
        List<SensorReading> readings = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            for (SensorReading r : fleet.next()) {
                double[] v = r.values();
                v[c] += offset;
                readings.add(SensorReading.of(r.deviceId(), r.timestamp(), MOTOR, v));
            }
            if (step % 60 == 0 || step == steps) {
                assertThat(client.post("/api/readings", operator, JSON.writeAll(readings)).status()).isEqualTo(201);
                readings.clear();
            }
        }
    }

    @Test
    void drift_needsALogin() {
        assertThat(client.get("/api/drift", null).status()).isEqualTo(401);
        assertThat(client.get("/api/drift", null).json().get("error").asText()).isNotBlank();
    }
}
