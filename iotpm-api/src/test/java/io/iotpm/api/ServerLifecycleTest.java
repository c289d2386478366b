package io.iotpm.api;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServerLifecycleTest {

    static StorageBackend store;

    @BeforeAll
    static void open() {
        store = StorageBackends.open("memory:");
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void build_refusesAMissingOrShortSecretOutsideDemoMode() {
        assertThatThrownBy(() -> IotpmServer.builder().storage(store).users(TestUsers.store()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JWT secret");
        assertThatThrownBy(() -> IotpmServer.builder().jwtSecret("too-short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> IotpmServer.builder().storage(store).jwtSecret(TestUsers.SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("users");
        assertThatThrownBy(() -> IotpmServer.builder().users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("storage");
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> IotpmServer.builder().port(70_000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> IotpmServer.builder().corsOrigins("*")).hasMessageContaining("'*'");
        assertThatThrownBy(() -> IotpmServer.builder().maxBodyBytes(10)).hasMessageContaining("10");
    }

    @Test
    void retentionTask_runsWhileTheServerServes_andStopsWithIt() {
        StorageBackend own = StorageBackends.open("memory:");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        own.append(SensorReading.of("PUMP_001", t0, SensorSchema.industrialMotor(),
                60, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45));
        RetentionTask task = RetentionTask.builder().target(Retainable.readings(own), Duration.ofDays(1))
                .every(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
                .clock(Clock.fixed(t0.plus(Duration.ofDays(2)), ZoneOffset.UTC)).build();
        try (IotpmServer server = IotpmServer.builder().port(0).storage(own).demoMode(true).retentionTask(task)
                .build()) {
            assertThat(server.retentionMetrics().runs()).isZero();
            server.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.retentionMetrics().removed().get("readings") == 1);
            assertThat(own.count("PUMP_001")).isZero();
        }
        assertThatThrownBy(task::runOnce).hasMessageContaining("closed");
        own.close();
    }

    @Test
    void demoMode_refusesNonLoopbackHosts() {
        assertThatThrownBy(() -> IotpmServer.builder().storage(store).demoMode(true).host("0.0.0.0").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
    }

    @Test
    void demoMode_createsTheDemoUsersWithARandomSecret() {
        try (IotpmServer server = IotpmServer.builder().port(0).storage(store).demoMode(true).build().start()) {
            assertThat(server.demoMode()).isTrue();
            ApiClient c = new ApiClient(server);
            String token = c.login("admin", "password123");
            assertThat(c.get("/api/auth/me", token).json().get("role").asText()).isEqualTo("admin");
        }
    }

    @Test
    void config_suppliesHostPortAndSecret() {
        IotpmConfig config = IotpmConfig.builder().environment(Map.of("API_PORT", "0",
                "SECRET_KEY", TestUsers.SECRET, "API_HOST", "127.0.0.1")).build();
        try (IotpmServer server = IotpmServer.builder().config(config).storage(store).users(TestUsers.store())
                .build().start()) {
            assertThat(server.port()).isPositive();
            assertThat(new ApiClient(server).get("/api/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void cors_isOffByDefault_andAnswersOnlyConfiguredOrigins() {
        try (IotpmServer plain = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(plain);
            ApiClient.Response r = c.send(c.request("/api/health", null).header("Origin", "https://evil.example").GET());
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        }
        try (IotpmServer cors = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).corsOrigins("https://ops.example.com").build().start()) {
            ApiClient c = new ApiClient(cors);
            ApiClient.Response ok = c.send(c.request("/api/health", null).header("Origin", "https://ops.example.com").GET());
            assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
            ApiClient.Response evil = c.send(c.request("/api/health", null).header("Origin", "https://evil.example").GET());
            assertThat(evil.header("Access-Control-Allow-Origin")).isNull();
            ApiClient.Response preflight = c.send(c.request("/api/devices", null).header("Origin", "https://ops.example.com")
                    .header("Access-Control-Request-Method", "GET").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.status()).isLessThan(300);
        }
    }

    @Test
    void close_stopsEveryServerThread() throws Exception {
        IotpmServer server = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        int port = server.port();
        ApiClient c = new ApiClient(server);
        assertThat(c.get("/api/health", null).status()).isEqualTo(200);
        server.close();
        server.close();
        // close() stops the pool; its threads may need a moment to end on a busy machine.
        await().atMost(Duration.ofSeconds(30)).until(() -> apiThreads() == 0);
        assertThat(apiThreads()).isZero();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    private static long apiThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("iotpm-api")).count();
    }
}
