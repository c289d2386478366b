package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.notify.LogNotifier;
import io.iotpm.alerts.notify.WebhookNotifier;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationApiTest {

    static StorageBackend store;
    static AlertManager alerts;
    static HttpServer hooks;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;
    static String admin;
    static final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** A real webhook receiver (JDK HttpServer) that accepts /ok and refuses /down with HTTP 502. */
    @BeforeAll
    static void start() throws IOException {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = ex.getRequestURI().getPath().equals("/ok");
                if (ok) {
                    received.add(body);
                }
                ex.sendResponseHeaders(ok ? 204 : 502, -1);
            } finally {
                ex.close();
            }
        });
        hooks.start();
        int port = hooks.getAddress().getPort();
        store = StorageBackends.open("memory:");
        alerts = AlertManager.builder().tickInterval(Duration.ZERO).retryBackoff(Duration.ofMillis(1))
                .notifier(new LogNotifier())
                .notifier(WebhookNotifier.builder("http://127.0.0.1:" + port + "/ok?token=s3cr3t").build())
                .notifier(WebhookNotifier.builder("http://localhost:" + port + "/down").build())
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
        hooks.stop(0);
    }

    @Test
    void notifications_listsKindsAndHostsWithoutSecrets() {
        ApiClient.Response r = client.get("/api/notifications", operator);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode list = r.json().get("notifiers");
        assertThat(r.json().get("count").asInt()).isEqualTo(3);
        assertThat(list.get(0).get("name").asText()).isEqualTo("log");
        assertThat(list.get(0).get("kind").asText()).isEqualTo("log");
        assertThat(list.get(1).get("name").asText()).isEqualTo("webhook-127.0.0.1");
        assertThat(list.get(1).get("kind").asText()).isEqualTo("webhook");
        assertThat(list.get(1).get("details").get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(list.get(1).has("sent")).isTrue();
        assertThat(list.get(1).has("failed")).isTrue();
        assertThat(r.body()).doesNotContain("s3cr3t").doesNotContain("/ok");
    }

    @Test
    void test_sendsMarkedNotificationAndReportsEachOutcome() throws Exception {
        received.clear();
        ApiClient.Response r = client.post("/api/notifications/test", admin, "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("outcome").asText()).isEqualTo("sent");
        assertThat(results.get(1).get("notifier").asText()).isEqualTo("webhook-127.0.0.1");
        assertThat(results.get(1).get("outcome").asText()).isEqualTo("sent");
        assertThat(results.get(1).get("error").isNull()).isTrue();
        assertThat(results.get(2).get("notifier").asText()).isEqualTo("webhook-localhost");
        assertThat(results.get(2).get("outcome").asText()).isEqualTo("failed");
        assertThat(results.get(2).get("error").asText()).contains("HTTP 502").doesNotContain("\tat ");
        assertThat(r.json().get("sent").asInt()).isEqualTo(2);
        assertThat(received.poll(5, TimeUnit.SECONDS)).contains(AlertManager.TEST_RULE)
                .contains(AlertManager.TEST_MESSAGE);
        assertThat(alerts.history(AlertQuery.builder().build())).isEmpty();
        assertThat(client.get("/api/alerts?state=all", viewer).json().get("count").asInt()).isZero();
    }

    @Test
    void test_ofOneNamedNotifierSendsOnlyThere() {
        received.clear();
        ApiClient.Response r = client.post("/api/notifications/test", admin, "{\"notifier\":\"webhook-127.0.0.1\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("results")).singleElement()
                .satisfies(x -> assertThat(x.get("outcome").asText()).isEqualTo("sent"));
        assertThat(received).hasSize(1);
    }

    @Test
    void test_rejectsUnknownNotifierAndBadBody() {
        ApiClient.Response unknown = client.post("/api/notifications/test", admin, "{\"notifier\":\"pager\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(unknown.json().get("field").asText()).isEqualTo("notifier");
        assertThat(unknown.json().get("message").asText()).contains("'pager'").contains("webhook-127.0.0.1");
        ApiClient.Response bad = client.post("/api/notifications/test", admin, "{\"channel\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).contains("unknown field 'channel'");
        assertThat(client.post("/api/notifications/test", admin, "{\"notifier\":\" \"}").status()).isEqualTo(400);
    }

    @Test
    void roles_operatorsListOnlyAdminsTest() {
        assertThat(client.get("/api/notifications", viewer).status()).isEqualTo(403);
        assertThat(client.get("/api/notifications", null).status()).isEqualTo(401);
        ApiClient.Response op = client.post("/api/notifications/test", operator, "");
        assertThat(op.status()).isEqualTo(403);
        assertThat(op.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(client.post("/api/notifications/test", viewer, "").status()).isEqualTo(403);
    }

    @Test
    void withoutAlertManager_answers503() {
        try (StorageBackend memory = StorageBackends.open("memory:");
             IotpmServer plain = IotpmServer.builder().port(0).storage(memory).users(TestUsers.store())
                     .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(plain);
            ApiClient.Response list = c.get("/api/notifications", c.login("oscar", TestUsers.OPERATOR_PW));
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.json().get("error").asText()).isEqualTo("no_alerts");
            assertThat(c.post("/api/notifications/test", c.login("alice", TestUsers.ADMIN_PW), "").status())
                    .isEqualTo(503);
        }
    }
}
