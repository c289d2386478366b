package io.iotpm.storage.sqlite;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackendContract;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
                    + " ORDER BY _ts DESC, _seq DESC LIMIT 100")))
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

        assertThat(s.range("PUMP_A", T0, T0.plus(java.time.Duration.ofDays(1)))).containsExactlyElementsOf(first);
        assertThat(s.devices()).extracting(io.iotpm.core.storage.DeviceInfo::readingCount).containsExactly(3L);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse");
        }
        s.appendAll(batch);
        assertThat(reopen(s).count("PUMP_A")).isEqualTo(8);
    }

    @Test
    void timestampOutsideTheStorableRange_isRejected_andNothingIsStored() {
        StorageBackend s = store();
        SensorReading ok = motor("PUMP_001", T0, 0);
        SensorReading far = motor("PUMP_001", Instant.parse("2300-01-01T00:00:00Z"), 1);
        assertThatThrownBy(() -> s.appendAll(List.of(ok, far)))
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
}
