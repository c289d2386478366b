package io.iotpm.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.alerts.AlertManager;
import io.iotpm.api.observability.Observability;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the JSON request bodies of a real server over HTTP: the first character of the input picks the
 * endpoint ('0' to '4', modulo 5) (ingest, batch prediction, rule, silence, login), the rest is the body. Whatever arrives, the answer
 * is a success or a 4xx with a JSON {@code {"error","message"}} body, never a 5xx. {@code ./mvnw verify}
 * replays {@code src/test/resources/.../RequestBodyFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
class RequestBodyFuzzTest {

    private static final String[][] ENDPOINTS = {
        {"POST", "/api/readings"},
        {"POST", "/api/predict/batch"},
        {"POST", "/api/rules"},
        {"POST", "/api/alerts/silences"},
        {"POST", "/api/auth/login"},
    };

    static StorageBackend store;
    static AlertManager alerts;
    static IotpmServer server;
    static ApiClient client;
    static String admin;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        store.appendAll(DeviceApiTest.history("PUMP_001", 1, 30));
        alerts = AlertManager.builder().tickInterval(Duration.ZERO).build();
        server = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(5)).alerts(alerts)
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).accessTokenTtl(Duration.ofHours(1))
                .loginThrottle(1_000_000, Duration.ofSeconds(1))
                .observability(Observability.builder().jvmMetrics(false).build())
                .build().start();
        client = new ApiClient(server);
        admin = client.login("alice", TestUsers.ADMIN_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        alerts.close();
        store.close();
    }

    @FuzzTest(maxDuration = "2m")
    void anyBody_getsASuccessOrA4xxJsonError_neverA5xx(@NotNull String input) {
        String[] endpoint = ENDPOINTS[input.isEmpty() ? 0 : Math.floorMod(input.charAt(0) - '0', ENDPOINTS.length)];
        String body = input.isEmpty() ? "" : input.substring(1);
        HttpRequest.Builder b = client.request(endpoint[1], admin).header("Content-Type", "application/json")
                .method(endpoint[0], HttpRequest.BodyPublishers.ofString(body));
        ApiClient.Response r = client.send(b);
        assertThat(r.status()).as("%s %s with %s -> %s", endpoint[0], endpoint[1], body, r.body()).isLessThan(500);
        if (r.status() >= 400) {
            JsonNode error = r.json();
            assertThat(error).as(r.body()).isNotNull();
            assertThat(error.path("error").asText()).isNotBlank();
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }
}
