package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageApiTest {

    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String uri;

    @TempDir
    static Path dir;

    /** The real SQLite backend on a file, described to the server with its URI and the host's retention. */
    @BeforeAll
    static void start() {
        uri = "sqlite:" + dir.resolve("storage.db");
        store = StorageBackends.open(uri);
        store.appendAll(DeviceApiTest.history("PUMP_001", 1, 120));
        store.appendAll(DeviceApiTest.history("PUMP_002", 2, 30));
        server = IotpmServer.builder().port(0).storage(store).storageUri(uri).retention(Duration.ofDays(90))
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void storage_reportsBackendLocationCountsAndRetention() {
        ApiClient.Response r = client.get("/api/storage", client.login("oscar", TestUsers.OPERATOR_PW));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("backend").asText()).isEqualTo("sqlite");
        assertThat(s.get("implementation").asText()).isEqualTo(store.getClass().getSimpleName());
        assertThat(s.get("location").asText()).isEqualTo(uri);
        assertThat(s.get("devices").asInt()).isEqualTo(2);
        assertThat(s.get("readings").asLong()).isEqualTo(150);
        assertThat(s.get("last_reading").asText())
                .isEqualTo(DeviceApiTest.START.plus(Duration.ofMinutes(119)).toString());
        assertThat(s.get("retention").asText()).isEqualTo("PT2160H");
        assertThat(s.get("retention_days").asDouble()).isEqualTo(90.0);
    }

    @Test
    void storage_isForOperatorsAndAdminsOnly() {
        assertThat(client.get("/api/storage", client.login("alice", TestUsers.ADMIN_PW)).status()).isEqualTo(200);
        ApiClient.Response viewer = client.get("/api/storage", client.login("vera", TestUsers.VIEWER_PW));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(client.get("/api/storage", null).status()).isEqualTo(401);
    }

    @Test
    void storage_withoutUriOrRetentionNamesTheClassAndReportsNoRetention() {
        try (StorageBackend memory = StorageBackends.open("memory:");
             IotpmServer plain = IotpmServer.builder().port(0).storage(memory).users(TestUsers.store())
                     .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(plain);
            JsonNode s = c.get("/api/storage", c.login("oscar", TestUsers.OPERATOR_PW)).json();
            assertThat(s.get("backend").asText()).isEqualTo("memory");
            assertThat(s.get("location").isNull()).isTrue();
            assertThat(s.get("devices").asInt()).isZero();
            assertThat(s.get("readings").asLong()).isZero();
            assertThat(s.get("last_reading").isNull()).isTrue();
            assertThat(s.get("retention").isNull()).isTrue();
            assertThat(s.get("retention_days").isNull()).isTrue();
        }
    }

    @Test
    void builder_rejectsAMalformedUriAndANonPositiveRetention() {
        assertThatThrownBy(() -> IotpmServer.builder().storageUri("no-scheme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-scheme");
        assertThatThrownBy(() -> IotpmServer.builder().retention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention must be > 0, but was PT0S");
        assertThatThrownBy(() -> IotpmServer.builder().retention(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-24H");
    }
}
