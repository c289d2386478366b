package io.iotpm.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertStats;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WebhookNotifierTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> authHeaders = new LinkedBlockingQueue<>();
    final AtomicInteger failFirst = new AtomicInteger();
    final AtomicInteger delayMs = new AtomicInteger();
    HttpServer server;
    AlertManager manager;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (delayMs.get() > 0) {
                    Thread.sleep(delayMs.get());
                }
                int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
                if (status == 204) {
                    bodies.add(body);
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    authHeaders.add(auth == null ? "" : auth);
                }
                ex.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-webhook-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    AlertManager manager(WebhookNotifier hook) {
        manager = AlertManager.builder().clock(new MutableClock(T0)).tickInterval(Duration.ZERO)
                .retryBackoff(Duration.ofMillis(1)).maxAttempts(3)
                .rule(AlertRule.named("overheat").when(Condition.above("temperature", 85)).priority(Priority.HIGH)
                        .message("{device_id}: temperature {temperature} °C").build())
                .notifier(hook).build();
        return manager;
    }

    static SensorReading hot(String device) {
        return SensorReading.of(device, T0, SensorSchema.industrialMotor(), 91.5, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220,
                0.95, 45);
    }

    @Test
    void postsSnakeCaseJsonWithHeaders() throws Exception {
        manager(WebhookNotifier.builder(url()).header("Authorization", "Bearer s3cret").build());
        manager.process(hot("PUMP_001"));
        String body = bodies.poll(30, TimeUnit.SECONDS);
        assertThat(body).isNotNull();
        JsonNode json = new ObjectMapper().readTree(body);
        assertThat(json.get("event").asText()).isEqualTo("FIRED");
        JsonNode a = json.get("alert");
        assertThat(a.get("rule").asText()).isEqualTo("overheat");
        assertThat(a.get("device_id").asText()).isEqualTo("PUMP_001");
        assertThat(a.get("priority").asText()).isEqualTo("HIGH");
        assertThat(a.get("message").asText()).isEqualTo("PUMP_001: temperature 91.5 °C");
        assertThat(a.get("last_value").asDouble()).isEqualTo(91.5);
        assertThat(a.get("first_seen").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(a.get("acknowledged_by").isNull()).isTrue();
        assertThat(authHeaders.poll(30, TimeUnit.SECONDS)).isEqualTo("Bearer s3cret");
    }

    @Test
    void serverErrors_areRetriedWithBackoffAndCounted() throws Exception {
        failFirst.set(2);
        manager(WebhookNotifier.builder(url()).build());
        manager.process(hot("PUMP_001"));
        assertThat(bodies.poll(30, TimeUnit.SECONDS)).isNotNull();
        AlertStats.NotifierStats s = awaitDone();
        assertThat(s.sent()).isEqualTo(1);
        assertThat(s.retries()).isEqualTo(2);
        assertThat(s.failed()).isZero();
    }

    @Test
    void timeout_countsAsAFailure_andProcessIsNotSlowedDown() throws Exception {
        delayMs.set(2_000);
        manager(WebhookNotifier.builder(url()).timeout(Duration.ofMillis(300)).build());
        manager.process(hot("PUMP_001"));
        // Had process() waited for the webhook, its three timed-out attempts would be counted by now.
        AlertStats.NotifierStats during = manager.stats().notifiers().get(0);
        assertThat(during.sent() + during.failed()).isZero();
        AlertStats.NotifierStats s = awaitDone();
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.retries()).isEqualTo(2);
    }

    /** Waits for the notifier thread; no alert timing depends on it. */
    AlertStats.NotifierStats awaitDone() {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> manager.stats().notifiers().get(0), s -> s.sent() + s.failed() >= 1);
    }

    @Test
    void builder_rejectsNonHttpUrlsAndBadTimeouts() {
        assertThatThrownBy(() -> WebhookNotifier.builder("ftp://x/y")).hasMessageContaining("'ftp://x/y'");
        assertThatThrownBy(() -> WebhookNotifier.builder("not a url")).hasMessageContaining("'not a url'");
        assertThatThrownBy(() -> WebhookNotifier.builder("/relative")).hasMessageContaining("'/relative'");
        assertThatThrownBy(() -> WebhookNotifier.builder(url()).timeout(Duration.ZERO)).hasMessageContaining("PT0S");
    }
}
