package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client written to break the API meets: each test is a hole a hostile client found. */
class HostileClientApiTest {

    static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());
    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;
    static String admin;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        server = IotpmServer.builder().port(0).storage(store).users(TestUsers.store()).jwtSecret(TestUsers.SECRET)
                .maxStreamClients(16).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        operator = client.login("oscar", TestUsers.OPERATOR_PW);
        admin = client.login("alice", TestUsers.ADMIN_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void head_answersLikeGet_withoutABody() {
        store.appendAll(DeviceApiTest.history("HEAD_1", 3, 1));
        for (String path : List.of("/api/devices", "/api/devices/HEAD_1", "/api/devices/HEAD_1/data?limit=2",
                "/api/auth/me")) {
            ApiClient.Response get = client.get(path, viewer);
            ApiClient.Response head = client.send(client.request(path, viewer).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()));
            assertThat(head.status()).as("HEAD " + path).isEqualTo(get.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
        ApiClient.Response anonymous = client.send(client.request("/api/devices", null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(client.send(client.request("/api/health", null).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .status()).isEqualTo(200);
        assertThat(client.send(client.request("/", null).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .status()).isEqualTo(200);
    }

    @Test
    void badRequests_nameNoJacksonOrJavaInternals() {
        List<String> bodies = List.of(
                "{\"username\":\"" + "a".repeat(2 << 20) + "\",\"password\":\"x\"}",
                "{\"username\":\"alice\",\"password\":1" + "0".repeat(100) + "}",
                "[".repeat(100),
                "{\"username\":\"alice\",\"password\":\"x\"} trailing",
                "{\"username\":[\"alice\"],\"password\":\"x\"}",
                "{\"username\":\"alice\",\"username\":\"bob\",\"password\":\"x\"}",
                "\u0000\u0001",
                "{\"username\":\"alice\",\"password\":\"\\uZZZZ\"}",
                "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"username\":\"alice\",\"password\":null}");
        for (String body : bodies) {
            ApiClient.Response r = client.post("/api/auth/login", null, body);
            assertThat(r.status()).as(r.body()).isIn(400, 413);
            assertThat(r.body()).as(body.length() > 80 ? body.substring(0, 80) : body)
                    .doesNotContain("StreamReadConstraints", "jackson", "Jackson", "com.fasterxml", "java.",
                            "JsonParser", "JsonToken", "getMax", "Constra", "`", "getter", "class ", "Exception", "source:",
                            "REDACTED");
        }
    }

    @Test
    void clientSuppliedStatus_mustAgreeWithHealthScore_andIsNeverSilentlyDropped() {
        List<SensorReading> readings = DeviceApiTest.history("CLAIMED_HEALTH", 2, 3);
        List<SensorReading> claimed = new ArrayList<>();
        for (SensorReading r : readings) {
            claimed.add(r.withHealthScore(100));
        }
        String body = JSON.writeAll(claimed);
        ApiClient.Response contradicted = client.post("/api/readings", operator, body.replace("\"NORMAL\"", "\"CRITICAL\""));
        assertThat(contradicted.status()).isEqualTo(400);
        assertThat(contradicted.json().get("field").asText()).endsWith("status");
        assertThat(contradicted.json().get("message").asText()).contains("derived from health_score");
        ApiClient.Response alone = client.post("/api/readings", operator,
                JSON.writeAll(readings.stream().map(r -> r.withHealthScore(Double.NaN)).toList())
                        .replace("\"noise\"", "\"status\":\"NORMAL\",\"noise\""));
        assertThat(alone.status()).as(alone.body()).isEqualTo(400);
        assertThat(store.count("CLAIMED_HEALTH")).isZero();
        // A consistent pair is the device's own report, stored like any channel (ingest needs the operator role).
        assertThat(client.post("/api/readings", operator, body).status()).isEqualTo(201);
        JsonNode device = client.get("/api/devices/CLAIMED_HEALTH", viewer).json();
        assertThat(device.get("health_score").asDouble()).isEqualTo(100.0);
        assertThat(device.get("status").asText()).isEqualTo("NORMAL");
    }

    @Test
    void timestampOutsideWhatStorageHolds_is400NamingTheField() {
        String body = JSON.write(DeviceApiTest.history("FAR_PAST", 4, 1).get(0))
                .replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":-1000000000000000000");
        ApiClient.Response r = client.post("/api/readings", operator, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("timestamp");
    }

    @Test
    void streamCap_isPerUser_soOneViewerCannotLockOutTheAdmin() throws Exception {
        List<SseLines> mine = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < 16; i++) {
                SseLines s = SseLines.open(server.url() + "/api/stream?topics=alerts", viewer);
                if (s.status() == 429) {
                    refused++;
                    s.close();
                } else {
                    assertThat(s.status()).isEqualTo(200);
                    mine.add(s);
                }
            }
            assertThat(refused).as("the viewer's streams beyond its own cap are refused").isPositive();
            SseLines adminStream = SseLines.open(server.url() + "/api/stream?topics=alerts", admin);
            assertThat(adminStream.status()).isEqualTo(200);
            adminStream.close();
        } finally {
            for (SseLines s : mine) {
                s.close();
            }
        }
    }
}
