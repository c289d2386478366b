package io.iotpm.storage.redis;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.server.RedisServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis backend's own behaviour: identity by (device, timestamp), opening checks, URIs, errors. */
class RedisStorageTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final SensorSchema PROBE = SensorSchema.builder("probe")
            .channel(Channel.builder("level").unit("m\tx\\y").normalRange(0, 10).physicalRange(0, 100).allowMissing())
            .build();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @AutoClose
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    private static RedisStorage open(int db) {
        return RedisStorage.builder(server.host(), server.port()).database(db).build();
    }

    private static RedisClient raw(int db) {
        return RedisClient.create("redis://127.0.0.1:" + server.port() + "/" + db);
    }

    private static SensorReading motor(String device, Instant t, double temperature) {
        return SensorReading.of(device, t, MOTOR, new double[] {temperature, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45});
    }

    private static List<SensorReading> minutes(String device, int n, double temperature) {
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(motor(device, T0.plusSeconds(60L * i), temperature));
        }
        return out;
    }

    @Test
    void reAppendingABatch_storesNothingTwice_andTheLaterReadingOfAnInstantWins() {
        try (RedisStorage s = open(1)) {
            List<SensorReading> batch = minutes("PUMP_1", 100, 60);
            s.appendAll(batch);
            s.appendAll(batch);
            assertThat(s.count("PUMP_1")).isEqualTo(100);

            SensorReading first = motor("PUMP_1", T0.plusSeconds(600), 70);
            SensorReading second = motor("PUMP_1", T0.plusSeconds(600), 71);
            s.appendAll(List.of(first, second));
            assertThat(s.count("PUMP_1")).isEqualTo(100);
            assertThat(s.range("PUMP_1", T0.plusSeconds(600), T0.plusSeconds(601))).containsExactly(second);

            s.append(motor("PUMP_1", T0.plusSeconds(600), 72));
            assertThat(s.latest("PUMP_1", 100)).hasSize(100).filteredOn(x -> x.timestamp().equals(T0.plusSeconds(600)))
                    .singleElement().extracting(x -> x.value(0)).isEqualTo(72.0);
            assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_1", T0.plusSeconds(60 * 99), 100));
        }
    }

    @Test
    void latest_isOneCommand_andABatchOneScriptCall() {
        try (RedisClient r = raw(8); RedisStorage s = open(8)) {
            s.appendAll(minutes("P", 50, 60));
            Map<String, Long> before = calls(r);
            s.appendAll(minutes("Q", 1_000, 61));
            assertThat(s.latest("P", 10)).hasSize(10);
            Map<String, Long> after = calls(r);
            Map<String, Long> made = new TreeMap<>();
            after.forEach((cmd, n) -> {
                long d = n - before.getOrDefault(cmd, 0L);
                if (d > 0 && !cmd.equals("info")) {   // INFO is this test's own client
                    made.put(cmd, d);
                }
            });
            // One EVALSHA for the batch (inside: an HGET, the index ZADD, and for the new device's
            // rising readings one ZRANGE to find nothing stored after them and one variadic ZADD),
            // and one ZRANGE for latest.
            assertThat(made).containsExactlyInAnyOrderEntriesOf(Map.of("evalsha", 1L, "zrange", 2L, "zadd", 2L,
                    "hget", 1L));
        }
    }

    /** @return command name to calls so far, from INFO commandstats */
    private static Map<String, Long> calls(RedisClient r) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : r.info("commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String calls = line.substring(line.indexOf("calls=") + 6);
                out.put(name, Long.parseLong(calls.substring(0, calls.indexOf(','))));
            }
        }
        return out;
    }

    @Test
    void nanosecondsAndNegativeEpochs_keepTheirOrder() {
        try (RedisStorage s = open(2)) {
            Instant a = Instant.parse("1969-12-31T23:59:59.999999999Z");
            Instant b = Instant.parse("1970-01-01T00:00:00Z");
            Instant c = Instant.parse("1970-01-01T00:00:00.000000001Z");
            s.appendAll(List.of(motor("P", c, 1), motor("P", a, 2), motor("P", b, 3)));
            assertThat(s.range("P", a, c.plusNanos(1))).extracting(SensorReading::timestamp).containsExactly(a, b, c);
            assertThat(s.range("P", b, c)).extracting(SensorReading::timestamp).containsExactly(b);
        }
    }

    @Test
    void schemaTextWithTabsAndBackslashes_roundTrips_andASecondClientSeesIt() {
        SensorReading x = SensorReading.of("TANK", T0, PROBE, Double.NaN);
        try (RedisStorage s = open(3)) {
            s.append(x);
        }
        try (RedisStorage again = open(3)) {
            assertThat(again.latest("TANK", 1).get(0).schema()).isEqualTo(PROBE);
            assertThatThrownBy(() -> again.append(motor("TANK", T0, 60)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe");
        }
    }

    @Test
    void twoClients_racingForTheSchema_cannotMixSchemas() {
        try (RedisStorage a = open(4); RedisStorage b = open(4)) {
            a.append(motor("P", T0, 60));
            assertThatThrownBy(() -> b.append(SensorReading.of("P", T0.plusSeconds(1), PROBE, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("industrial_motor");
            assertThat(b.count("P")).isEqualTo(1);
        }
    }

    @Test
    void aDatabaseOfAnotherApplication_isRefused_andLeftUnchanged() {
        try (RedisClient r = raw(5)) {
            r.set("session:42", "someone else's");
            assertThatThrownBy(() -> open(5)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("another application").hasMessageContaining("prefix");
            assertThat(r.keys("*")).containsExactly("session:42");

            r.hset("iotpm:meta", "app", "grafana");
            assertThatThrownBy(() -> open(5)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("another application");
            r.hset("iotpm:meta", Map.of("app", "iotpm", "format", "99"));
            assertThatThrownBy(() -> open(5)).isInstanceOf(StorageException.class).hasMessageContaining("format 99");
            assertThat(r.hgetAll("iotpm:meta")).isEqualTo(Map.of("app", "iotpm", "format", "99"));
        }
    }

    @Test
    void aKeyPrefix_sharesADatabase_butRefusesForeignKeysUnderThePrefix() {
        try (RedisClient r = raw(6)) {
            r.set("session:42", "someone else's");
            try (RedisStorage s = RedisStorage.builder(server.host(), server.port()).database(6).keyPrefix("plant1:")
                    .build()) {
                s.appendAll(minutes("P", 3, 60));
                assertThat(s.count("P")).isEqualTo(3);
                assertThat(s.toString()).isEqualTo("redis://127.0.0.1:" + server.port() + "/6?prefix=plant1:");
            }
            assertThat(r.get("session:42")).isEqualTo("someone else's");
            assertThatThrownBy(() -> RedisStorage.builder(server.host(), server.port()).database(6).keyPrefix("session:")
                    .build()).isInstanceOf(StorageException.class).hasMessageContaining("session:42");
            assertThatThrownBy(() -> RedisStorage.builder("h", 1).keyPrefix("a*")).hasMessageContaining("a*");
        }
    }

    @Test
    void providerOpensRedisUris_throughServiceLoader() {
        try (RedisClient r = raw(7)) {
            String uri = "redis://127.0.0.1:" + server.port() + "/7?prefix=u:&timeoutMs=2000&poolSize=2";
            try (StorageBackend s = StorageBackends.open(uri)) {
                s.appendAll(minutes("P", 5, 60));
            }
            assertThat(r.zcard("u:iotpm:r:P")).isEqualTo(5);
            assertThatThrownBy(() -> StorageBackends.open("redis://127.0.0.1:" + server.port() + "/7?prefx=u:"))
                    .hasMessageContaining("prefx");
            assertThatThrownBy(() -> StorageBackends.open("redis://127.0.0.1:port/7"))
                    .hasMessageContaining("redis://[user@]host[:port][/db]");
        }
    }

    @Test
    void aPasswordInTheUri_isRefused_withoutShowingIt() {
        assertThatThrownBy(() -> StorageBackends.open("redis://app:s3cret-pw@127.0.0.1:6379/0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_PASSWORD")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void wrongCredentials_giveAClearErrorWithoutTheSecret() {
        try (RedisServer secured = RedisServer.builder().password("right-horse-battery").start()) {
            assertThatThrownBy(() -> RedisStorage.builder(secured.host(), secured.port()).password("wrong-staple-42")
                    .build()).isInstanceOf(StorageException.class).hasMessageContaining("credentials")
                    .hasMessageNotContaining("wrong-staple-42").hasMessageNotContaining("right-horse-battery");
            assertThatThrownBy(() -> RedisStorage.builder(secured.host(), secured.port()).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("credentials");
            try (RedisStorage s = RedisStorage.builder(secured.host(), secured.port()).password("right-horse-battery")
                    .build()) {
                s.append(motor("P", T0, 60));
                assertThat(s.count("P")).isEqualTo(1);
                assertThat(s.toString()).doesNotContain("right-horse-battery");
            }
        }
    }

    @Test
    void hostPortAndPassword_comeFromTheConfiguration() {
        try (RedisServer secured = RedisServer.builder().password("from-config-77").start()) {
            System.setProperty("iotpm.redis.host", secured.host());
            System.setProperty("iotpm.redis.port", Integer.toString(secured.port()));
            System.setProperty("iotpm.redis.password", "from-config-77");
            try (StorageBackend s = StorageBackends.open("redis:")) {
                s.append(motor("P", T0, 60));
                assertThat(s.count("P")).isEqualTo(1);
            }
            try (StorageBackend s = StorageBackends.open("redis://" + secured.host() + ":" + secured.port() + "/0")) {
                assertThat(s.count("P")).isEqualTo(1);
            }
        } finally {
            System.clearProperty("iotpm.redis.host");
            System.clearProperty("iotpm.redis.port");
            System.clearProperty("iotpm.redis.password");
        }
    }

    @Test
    void anUnreachableServer_saysHowToGetOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> RedisStorage.builder("127.0.0.1", closed).build())
                .isInstanceOf(StorageException.class).hasMessageContaining("cannot reach")
                .hasMessageContaining("redis-server");
    }

    @Test
    void builder_rejectsBadValues_naming_them() {
        assertThatThrownBy(() -> RedisStorage.builder("", 1)).hasMessageContaining("host");
        assertThatThrownBy(() -> RedisStorage.builder("h", 70_000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> RedisStorage.builder("h", 1).poolSize(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> RedisStorage.builder("h", 1).database(-1)).hasMessageContaining("-1");
    }
}
