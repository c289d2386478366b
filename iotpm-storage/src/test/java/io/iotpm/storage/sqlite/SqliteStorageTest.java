package io.iotpm.storage.sqlite;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStorageTest extends StorageBackendContract {

    @Override
    protected StorageBackend open(Path dir) {
        return StorageBackends.open("sqlite:" + dir.resolve("iot.db"));
    }

    private static List<String> query(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
            return out;
        }
    }

    @Test
    void file_isARealDatabase_withWalOneColumnPerChannelAndAVersionedSchema() throws Exception {
        Path db = dir.resolve("iot.db");
        try (StorageBackend s = store()) {
            s.appendAll(minutes("PUMP_001", T0, 10));
            assertThat(query(db, "PRAGMA journal_mode")).containsExactly("wal");
            assertThat(query(db, "SELECT name FROM pragma_table_info('readings')")).containsExactly("_device", "_ts",
                    "_seq", "_health", "temperature", "vibration_x", "vibration_y", "vibration_z", "pressure", "rpm",
                    "current", "voltage", "power_factor", "noise");
            assertThat(query(db, "SELECT value FROM iotpm_meta WHERE key='format_version'"))
                    .containsExactly(String.valueOf(SqliteStorage.FORMAT_VERSION));
            assertThat(query(db, "SELECT count(*) FROM readings WHERE _device='PUMP_001'")).containsExactly("10");
            assertThat(String.join("\n", query(db, "EXPLAIN QUERY PLAN SELECT * FROM readings WHERE _device='x'"
                    + " ORDER BY _ts DESC LIMIT 100")))
                    .contains("USING PRIMARY KEY").doesNotContain("TEMP B-TREE");
        }
        assertThat(query(db, "PRAGMA integrity_check")).containsExactly("ok");
    }

    @Test
    void synchronousOption_isApplied_andBadValuesAreNamed() {
        try (SqliteStorage s = (SqliteStorage) StorageBackends.open("sqlite:" + dir.resolve("a.db") + "?synchronous=full")) {
            assertThat(s.synchronous()).isEqualTo(SqliteStorage.Synchronous.FULL);
            s.append(motor("PUMP_001", T0, 0));
        }
        try (SqliteStorage s = (SqliteStorage) StorageBackends.open("sqlite:" + dir.resolve("a.db"))) {
            assertThat(s.synchronous()).isEqualTo(SqliteStorage.Synchronous.NORMAL);
            assertThat(s.count("PUMP_001")).isEqualTo(1);
        }
        assertThatThrownBy(() -> StorageBackends.open("sqlite:" + dir.resolve("b.db") + "?synchronous=sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> StorageBackends.open("sqlite:" + dir.resolve("b.db") + "?readers=0"))
                .hasMessageContaining("readers must be in 1..64, but was 0");
        assertThatThrownBy(() -> StorageBackends.open("sqlite:")).hasMessageContaining("needs a path");
        assertThat(dir.resolve("b.db")).doesNotExist();
    }

    @Test
    void fileThatIsNotADatabase_isRejectedPrecisely_andLeftUnchanged() throws Exception {
        Path notDb = dir.resolve("notes.db");
        byte[] content = "these are my notes, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(notDb, content);

        assertThatThrownBy(() -> StorageBackends.open("sqlite:" + notDb))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(notDb.toString())
                .hasMessageContaining("not an SQLite database");

        assertThat(Files.readAllBytes(notDb)).isEqualTo(content);
        assertThat(dir.resolve("notes.db-wal")).doesNotExist();
    }

    @Test
    void databaseOfAnotherApplication_isRejected_andLeftUnchanged() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)");
            st.execute("INSERT INTO invoices(total) VALUES (12.5)");
        }
        assertThatThrownBy(() -> StorageBackends.open("sqlite:" + other))
                .isInstanceOf(StorageException.class).hasMessageContaining("another application")
                .hasMessageContaining("invoices");
        assertThat(query(other, "SELECT name FROM sqlite_master")).containsExactly("invoices");
        assertThat(query(other, "PRAGMA journal_mode")).containsExactly("delete");
    }

    @Test
    void fileFromANewerFormat_isRejected() throws Exception {
        Path db = dir.resolve("iot.db");
        store().close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("UPDATE iotpm_meta SET value='99' WHERE key='format_version'");
        }
        assertThatThrownBy(this::store).isInstanceOf(StorageException.class)
                .hasMessageContaining("format version 99").hasMessageContaining("newer");
    }

    @Test
    void databaseErrorMidBatch_rollsBackTheWholeBatch() throws Exception {
        Path db = dir.resolve("iot.db");
        StorageBackend s = store();
        List<SensorReading> first = minutes("PUMP_A", T0, 3);
        s.appendAll(first);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON readings WHEN NEW._device = 'PUMP_B'"
                    + " BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
        }
        List<SensorReading> batch = new ArrayList<>(minutes("PUMP_A", T0.plusSeconds(3600), 5));
        batch.addAll(minutes("PUMP_B", T0, 5));

        assertThatThrownBy(() -> s.appendAll(batch)).isInstanceOf(StorageException.class)
                .hasMessageContaining("disk says no").hasMessageContaining("nothing was stored");

        assertThat(s.range("PUMP_A", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(first);
        assertThat(s.devices()).extracting(DeviceInfo::readingCount).containsExactly(3L);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse");
        }
        s.appendAll(batch);
        assertThat(reopen(s).count("PUMP_A")).isEqualTo(8);
    }

    @Test
    void timestampOutsideTheStorableRange_isRejected_andNothingIsStored() {
        // The core's one timestamp rule (Timestamps) now refuses such a reading before any backend sees it.
        StorageBackend s = store();
        assertThatThrownBy(() -> motor("PUMP_001", Instant.parse("2300-01-01T00:00:00Z"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2300-01-01T00:00:00Z");
        assertThat(s.count("PUMP_001")).isZero();
    }

    @Test
    void rowsChangedBehindTheStoresBack_areReportedNotReturned() throws Exception {
        Path db = dir.resolve("iot.db");
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", T0, 3));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("UPDATE readings SET temperature = 1e9 WHERE _seq = 1");
        }
        assertThatThrownBy(() -> s.latest("PUMP_001", 3)).isInstanceOf(StorageException.class)
                .hasMessageContaining("temperature").hasMessageContaining("1.0E9");
    }
    // ---- multi-row inserts: batches are written 64 rows per statement plus a single-row remainder

    /** {@code n} readings interleaved over three devices, some seconds apart, health NaN for every third. */
    private static List<SensorReading> interleaved(int n, Instant start) {
        List<SensorReading> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(motor("PUMP_" + (char) ('C' - i % 3), start.plusSeconds(i / 3), i));
        }
        return out;
    }

    private static List<SensorReading> ofDevice(List<SensorReading> rs, String device) {
        return rs.stream().filter(r -> r.deviceId().equals(device)).toList();
    }

    @Test
    void appendAll_roundTripsExactly_forBatchSizesAroundTheRowsPerInsert() {
        int chunk = SqliteWriter.rowsPerInsert(MOTOR.size());
        assertThat(chunk).isEqualTo(SqliteWriter.MAX_ROWS_PER_INSERT);
        List<SensorReading> all = new ArrayList<>();
        Instant t = T0;
        try (StorageBackend s = store()) {
            for (int n : new int[] {1, chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 1, 1000}) {
                List<SensorReading> batch = interleaved(n, t);
                s.appendAll(batch);
                all.addAll(batch);
                t = t.plusSeconds(3600);
                for (String d : List.of("PUMP_A", "PUMP_B", "PUMP_C")) {
                    assertThat(s.range(d, T0, t)).as("after a batch of %d", n).containsExactlyElementsOf(ofDevice(all, d));
                    assertThat(s.count(d)).isEqualTo(ofDevice(all, d).size());
                }
            }
        }
        try (StorageBackend s = store()) {
            assertThat(s.latest("PUMP_A", 5000)).containsExactlyElementsOf(reversedCopy(ofDevice(all, "PUMP_A")));
            assertThat(s.range("PUMP_C", T0, t)).containsExactlyElementsOf(ofDevice(all, "PUMP_C"));
            assertThat(s.devices()).extracting(DeviceInfo::lastSeen)
                    .containsExactly(all.get(all.size() - 3).timestamp(), all.get(all.size() - 2).timestamp(),
                            all.get(all.size() - 1).timestamp());
        }
        assertThat(all.stream().filter(r -> Double.isNaN(r.healthScore()))).isNotEmpty();
    }

    private static <T> List<T> reversedCopy(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }

    @Test
    void appendAll_ofAChannelAllowingMissingValues_keepsNaNAndValues_acrossChunks() {
        List<SensorReading> batch = new ArrayList<>();
        for (int i = 0; i < 3 * SqliteWriter.MAX_ROWS_PER_INSERT + 5; i++) {
            double level = i % 4 == 0 ? Double.NaN : i / 10.0;
            batch.add(SensorReading.of("TANK_" + (i % 2), T0.plusMillis(i), PROBE, new double[] {level, -i / 7.0},
                    i % 5 == 0 ? Double.NaN : i % 100));
        }
        try (StorageBackend s = StorageBackends.open("sqlite:" + dir.resolve("probe.db"))) {
            s.appendAll(batch);
        }
        try (StorageBackend s = StorageBackends.open("sqlite:" + dir.resolve("probe.db"))) {
            for (String d : List.of("TANK_0", "TANK_1")) {
                assertThat(s.range(d, T0, T0.plusSeconds(1))).containsExactlyElementsOf(ofDevice(batch, d));
            }
        }
    }

    @Test
    void appendAll_outOfTimeOrderAndTiedTimestamps_inOneLargeBatch_readInTimeOrder_lastOfATimestampWins() {
        List<SensorReading> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Backwards in time, three readings per timestamp, two devices interleaved.
            batch.add(motor("PUMP_" + (i % 2), T0.plusSeconds(1000 - i / 6), i));
        }
        // (device, timestamp) is the identity: of each timestamp's three readings the last appended is kept.
        Map<Instant, SensorReading> last = new TreeMap<>();
        ofDevice(batch, "PUMP_0").forEach(r -> last.put(r.timestamp(), r));
        List<SensorReading> expected0 = new ArrayList<>(last.values());
        assertThat(expected0).hasSize(50);
        try (StorageBackend s = store()) {
            s.appendAll(batch);
            assertThat(s.range("PUMP_0", T0, T0.plusSeconds(2000))).containsExactlyElementsOf(expected0);
            assertThat(s.latest("PUMP_0", 3)).containsExactlyElementsOf(reversedCopy(expected0).subList(0, 3));
        }
    }

    @Test
    void databaseErrorInAMultiRowInsert_rollsBackTheWholeBatch_andTheNextBatchStillFits() throws Exception {
        Path db = dir.resolve("iot.db");
        StorageBackend s = store();
        s.appendAll(interleaved(100, T0));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON readings WHEN NEW._device = 'PUMP_B'"
                    + " BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
        }
        List<SensorReading> big = interleaved(1000, T0.plusSeconds(3600));
        assertThatThrownBy(() -> s.appendAll(big)).isInstanceOf(StorageException.class)
                .hasMessageContaining("disk says no").hasMessageContaining("1000 readings")
                .hasMessageContaining("nothing was stored");
        assertThat(s.count("PUMP_A") + s.count("PUMP_B") + s.count("PUMP_C")).isEqualTo(100);
        assertThat(query(db, "SELECT count(*) FROM readings")).containsExactly("100");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse");
        }
        s.appendAll(big);
        // Sequence numbers of the failed batch were given back: the stored ones run 0..1099 without gaps.
        assertThat(query(db, "SELECT count(*), min(_seq), max(_seq) FROM readings")).containsExactly("1100|0|1099");
        assertThat(reopen(s).range("PUMP_B", T0, T0.plusSeconds(7200)))
                .containsExactlyElementsOf(ofDevice(concat(interleaved(100, T0), big), "PUMP_B"));
        assertThat(query(db, "PRAGMA integrity_check")).containsExactly("ok");
    }

    private static List<SensorReading> concat(List<SensorReading> a, List<SensorReading> b) {
        List<SensorReading> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void rowsPerInsert_staysUnderSqlitesParameterLimit_forWideSchemas() {
        assertThat(SqliteWriter.rowsPerInsert(10)).isEqualTo(64);
        assertThat(SqliteWriter.rowsPerInsert(600)).isEqualTo(54);    // 54 x 604 = 32,616 <= 32,766
        assertThat(SqliteWriter.rowsPerInsert(40_000)).isEqualTo(1);
    }

    @Test
    void appendAll_ofAWideSchema_usesSmallerChunks_andRoundTrips() {
        SensorSchema.Builder b = SensorSchema.builder("wide");
        for (int c = 0; c < 600; c++) {
            b.channel(Channel.builder("c" + c).unit("u").normalRange(0, 10).physicalRange(-1e6, 1e6));
        }
        SensorSchema wide = b.build();
        List<SensorReading> batch = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            double[] v = new double[600];
            for (int c = 0; c < v.length; c++) {
                v[c] = i * 1000 + c;
            }
            batch.add(SensorReading.of("RIG_1", T0.plusSeconds(i), wide, v, 50));
        }
        try (StorageBackend s = StorageBackends.open("sqlite:" + dir.resolve("wide.db"))) {
            s.appendAll(batch);
            assertThat(s.range("RIG_1", T0, T0.plusSeconds(200))).containsExactlyElementsOf(batch);
        }
    }
}
