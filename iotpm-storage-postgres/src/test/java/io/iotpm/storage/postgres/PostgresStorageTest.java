package io.iotpm.storage.postgres;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.server.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract does not cover: identity of readings, partitions, layout, refusals, secrets. */
class PostgresStorageTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicInteger NEXT_DB = new AtomicInteger();

    private static PostgresServer server;
    private String db;
    private final List<PostgresStorage> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newDatabase() {
        db = server.createDatabase("own_" + NEXT_DB.getAndIncrement());
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PostgresStorage::close);
    }

    private PostgresStorage open() {
        PostgresStorage s = builder().build();
        opened.add(s);
        return s;
    }

    private PostgresStorage.Builder builder() {
        return PostgresStorage.builder("127.0.0.1", server.port(), db).user(server.user()).password(server.password());
    }

    private String sql(String query) {
        return server.sql(db, query);
    }

    static SensorReading motor(String device, Instant t, double temperature) {
        return SensorReading.of(device, t, MOTOR, new double[] {temperature, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45},
                90);
    }

    static List<SensorReading> minutes(String device, Instant start, int n) {
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(motor(device, start.plusSeconds(60L * i), 60 + i % 10));
        }
        return out;
    }

    // ---- identity: (device, ts), last write wins ------------------------------------------------

    @Test
    void reappendingABatch_storesNothingTwice_andCountsStayRight() {
        PostgresStorage s = open();
        List<SensorReading> batch = minutes("PUMP_001", T0, 500);
        s.appendAll(batch.subList(0, 300));
        s.appendAll(batch);   // 300 stored, 200 new
        s.appendAll(batch);
        s.appendAll(batch.subList(100, 200));

        assertThat(s.count("PUMP_001")).isEqualTo(500);
        assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_001", batch.get(499).timestamp(), 500));
        assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(batch);
        assertThat(sql("SELECT count(*) FROM readings")).isEqualTo("500");
    }

    @Test
    void aLaterWriteOfTheSameKey_replacesTheReading_inALaterBatchAndWithinOneBatch() {
        PostgresStorage s = open();
        s.append(motor("PUMP_001", T0, 60));
        s.append(motor("PUMP_001", T0, 61));
        s.appendAll(List.of(motor("PUMP_001", T0.plusSeconds(1), 70), motor("PUMP_002", T0, 1),
                motor("PUMP_001", T0.plusSeconds(1), 71)));

        assertThat(s.latest("PUMP_001", 10)).containsExactly(motor("PUMP_001", T0.plusSeconds(1), 71),
                motor("PUMP_001", T0, 61));
        assertThat(s.count("PUMP_001")).isEqualTo(2);
        assertThat(s.count("PUMP_002")).isEqualTo(1);
    }

    // ---- partitions and retention ---------------------------------------------------------------

    private List<String> partitions() {
        String out = sql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'readings'::regclass ORDER BY 1");
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Test
    void readings_arePartitionedByDay_withDaysCreatedAhead() {
        PostgresStorage s = open();
        s.appendAll(minutes("PUMP_001", T0, 3 * 24 * 60));

        assertThat(partitions()).containsExactly("readings_20260101", "readings_20260102", "readings_20260103",
                "readings_20260104", "readings_20260105");
        assertThat(sql("SELECT count(*) FROM readings_20260102")).isEqualTo("1440");
        assertThat(sql("SELECT relkind FROM pg_class WHERE relname = 'readings'")).isEqualTo("p");
    }

    @Test
    void retention_dropsWholePartitions_andDeletesFromTheStraddlingOne() {
        PostgresStorage s = open();
        s.appendAll(minutes("PUMP_001", T0, 3 * 24 * 60));
        s.appendAll(minutes("PUMP_002", T0, 10));

        long deleted = s.deleteBefore(T0.plus(Duration.ofHours(36)));

        assertThat(deleted).isEqualTo(36 * 60 + 10);
        assertThat(partitions()).doesNotContain("readings_20260101").contains("readings_20260102");
        assertThat(sql("SELECT count(*) FROM readings_20260102")).isEqualTo("720");
        assertThat(s.devices()).extracting(DeviceInfo::deviceId).containsExactly("PUMP_001");
        assertThat(s.count("PUMP_001")).isEqualTo(36 * 60);
        s.append(motor("PUMP_002", T0, 1));   // the dropped day is created again when written
        assertThat(s.count("PUMP_002")).isEqualTo(1);
    }

    @Test
    void aSecondStore_writesIntoADayTheFirstOneDropped() {
        PostgresStorage a = open();
        PostgresStorage b = open();
        b.appendAll(minutes("PUMP_001", T0, 10));   // b caches day 2026-01-01
        a.deleteBefore(T0.plus(Duration.ofDays(1)));
        b.appendAll(minutes("PUMP_001", T0, 5));
        assertThat(b.count("PUMP_001")).isEqualTo(5);
    }

    // ---- layout, migrations, refusals -----------------------------------------------------------

    @Test
    void layout_recordsApplicationVersionAndSchema_andReopens() {
        open().append(motor("PUMP_001", T0, 60));
        assertThat(sql("SELECT key || '=' || value FROM iotpm_meta ORDER BY key")).isEqualTo(
                "application=iotpm\nformat_version=" + PostgresStorage.FORMAT_VERSION + "\nschema_name=industrial_motor");
        assertThat(sql("SELECT count(*) FROM iotpm_channels")).isEqualTo("10");
        PostgresStorage again = open();
        assertThat(again.schema()).isEqualTo(MOTOR);
        assertThat(again.latest("PUMP_001", 1)).containsExactly(motor("PUMP_001", T0, 60));
    }

    @Test
    void aNewerFormat_isRefused_andLeftUnchanged() {
        open().close();
        sql("UPDATE iotpm_meta SET value = '99' WHERE key = 'format_version'");
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("format version 99").hasMessageContaining("left unchanged");
        assertThat(sql("SELECT value FROM iotpm_meta WHERE key = 'format_version'")).isEqualTo("99");
    }

    @Test
    void aFormatZeroDatabase_isMigrated() {
        sql("CREATE TABLE iotpm_meta (key text PRIMARY KEY, value text NOT NULL);"
                + " INSERT INTO iotpm_meta VALUES ('application', 'iotpm'), ('format_version', '0')");
        PostgresStorage s = open();
        s.append(motor("PUMP_001", T0, 60));
        assertThat(sql("SELECT value FROM iotpm_meta WHERE key = 'format_version'")).isEqualTo("1");
        assertThat(s.count("PUMP_001")).isEqualTo(1);
    }

    @Test
    void aDatabaseOfAnotherApplication_isRefused_andLeftUnchanged() {
        sql("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("not an iotpm database").hasMessageContaining("orders");
        assertThat(sql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("orders");

        sql("DROP TABLE orders; CREATE TABLE iotpm_meta (key text PRIMARY KEY, value text NOT NULL);"
                + " INSERT INTO iotpm_meta VALUES ('application', 'grafana')");
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("another application").hasMessageContaining("grafana");
        assertThat(sql("SELECT count(*) FROM iotpm_meta")).isEqualTo("1");
    }

    @Test
    void aReadingOfAnotherSchema_isRefused_evenByASecondStoreOnTheSameDatabase() {
        open().append(motor("PUMP_001", T0, 60));
        SensorSchema probe = SensorSchema.builder("probe")
                .channel(io.iotpm.core.Channel.builder("level").unit("m").normalRange(0, 10).physicalRange(0, 100))
                .build();
        PostgresStorage other = open();
        assertThatThrownBy(() -> other.append(SensorReading.of("TANK_1", T0, probe, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe")
                .hasMessageContaining("industrial_motor");
    }

    // ---- secrets and unsafe input ---------------------------------------------------------------

    @Test
    void wrongCredentials_giveAClearError_withoutTheSecret() {
        String wrong = "not-the-password-4711";
        assertThatThrownBy(() -> builder().password(wrong).build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageContaining("check the user name 'postgres' and the password")
                .hasMessageNotContaining(wrong).hasMessageNotContaining(server.password());
        assertThatThrownBy(() -> PostgresStorage.builder("127.0.0.1", server.port(), "no_such_db")
                .user(server.user()).password(server.password()).build())
                .isInstanceOf(StorageException.class).hasMessageContaining("no_such_db")
                .hasMessageNotContaining(server.password());
        assertThat(open().toString()).doesNotContain(server.password());
    }

    @Test
    void aUriWithAPassword_isRefused_withoutRepeatingIt() {
        String uri = "postgresql://postgres:s3cr3t-pw@127.0.0.1:" + server.port() + "/" + db;
        assertThatThrownBy(() -> StorageBackends.open(uri)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PGPASSWORD").hasMessageNotContaining("s3cr3t-pw");
        assertThatThrownBy(() -> StorageBackends.open("postgresql://postgres@127.0.0.1/" + db + "?pool=3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
        assertThatThrownBy(() -> StorageBackends.open("postgresql://127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DATABASE");
        assertThat(StorageBackends.builder().discover().build().schemes()).contains("postgresql");
    }

    @Test
    void anUnreachableServer_saysHowToGetOne() {
        assertThatThrownBy(() -> PostgresStorage.builder("127.0.0.1", 1, "iotpm").user("iotpm").build())
                .isInstanceOf(StorageException.class).hasMessageContaining("apt-get install postgresql");
    }

    @Test
    void unsafeDeviceIds_areRefusedBeforeAnyQuery() {
        PostgresStorage s = open();
        s.append(motor("PUMP_001", T0, 60));
        for (String bad : new String[] {"x'; DROP TABLE readings; --", "PUMP_001' OR '1'='1", "a\"b", "\\N"}) {
            assertThatThrownBy(() -> s.latest(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.count(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.events(bad, T0, T0)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(s.count("PUMP_001")).isEqualTo(1);
        assertThat(sql("SELECT count(*) FROM readings")).isEqualTo("1");
    }
}
