package io.iotpm.storage.sqlite;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.storage.internal.SchemaJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Files written by format version 1 (equal timestamps kept side by side) open as version 2. */
class SqliteMigrationTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static SensorReading motor(String device, Instant t, int i) {
        return SensorReading.of(device, t, MOTOR, new double[] {60 + i, 0.5, 0.4, 0.3, 2.5, 1800 + i, 15, 220, 0.95, 45},
                i % 2 == 0 ? Double.NaN : i % 90);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Writes a version 1 file as iotpm 1 laid it out: primary key (_device, _ts, _seq). */
    private static void writeVersion1(Path db, List<SensorReading> rows, boolean withReadings) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE iotpm_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            st.execute("INSERT INTO iotpm_meta VALUES('format_version', '1')");
            st.execute("CREATE TABLE devices(device_id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL,"
                    + " reading_count INTEGER NOT NULL) WITHOUT ROWID");
            st.execute("CREATE TABLE events(_device TEXT NOT NULL, _ts INTEGER NOT NULL, kind TEXT NOT NULL,"
                    + " detail TEXT NOT NULL)");
            st.execute("CREATE INDEX events_device_ts ON events(_device, _ts)");
            if (!withReadings) {
                return;
            }
            StringBuilder ddl = new StringBuilder("CREATE TABLE readings(_device TEXT NOT NULL, _ts INTEGER NOT NULL,"
                    + " _seq INTEGER NOT NULL, _health REAL");
            for (int i = 0; i < MOTOR.size(); i++) {
                ddl.append(", \"").append(MOTOR.channelName(i)).append("\" REAL");
            }
            st.execute(ddl.append(", PRIMARY KEY (_device, _ts, _seq)) WITHOUT ROWID").toString());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO iotpm_meta VALUES('sensor_schema', ?)")) {
                ps.setString(1, SchemaJson.write(MOTOR));
                ps.executeUpdate();
            }
            st.execute("INSERT INTO iotpm_meta VALUES('next_seq', '" + rows.size() + "')");
            String params = "?, ?, ?, ?" + ", ?".repeat(MOTOR.size());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO readings VALUES(" + params + ")")) {
                for (int seq = 0; seq < rows.size(); seq++) {
                    SensorReading r = rows.get(seq);
                    ps.setString(1, r.deviceId());
                    ps.setLong(2, nanos(r.timestamp()));
                    ps.setLong(3, seq);
                    SqliteValues.setDouble(ps, 4, r.healthScore());
                    for (int i = 0; i < MOTOR.size(); i++) {
                        SqliteValues.setDouble(ps, 5 + i, r.value(i));
                    }
                    ps.executeUpdate();
                }
            }
            st.execute("INSERT INTO devices SELECT _device, max(_ts), count(*) FROM readings GROUP BY _device");
        }
    }

    private static List<String> query(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Test
    void version1File_withTiedTimestamps_keepsTheLastWritten_andRecountsDevices() throws Exception {
        Path db = dir.resolve("old.db");
        SensorReading a1 = motor("PUMP_A", T0, 1);
        SensorReading a2 = motor("PUMP_A", T0, 2);
        SensorReading a3 = motor("PUMP_A", T0.plusSeconds(60), 3);
        SensorReading b1 = motor("PUMP_B", T0, 4);
        SensorReading a4 = motor("PUMP_A", T0, 5);
        writeVersion1(db, List.of(a1, a2, a3, b1, a4), true);
        assertThat(query(db, "SELECT reading_count FROM devices ORDER BY device_id")).containsExactly("4", "1");

        try (StorageBackend s = StorageBackends.open("sqlite:" + db)) {
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(600))).containsExactly(a4, a3);
            assertThat(s.latest("PUMP_A", 10)).containsExactly(a3, a4);
            assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_A", T0.plusSeconds(60), 2),
                    new DeviceInfo("PUMP_B", T0, 1));
            SensorReading a6 = motor("PUMP_A", T0, 6);
            s.append(a6);
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(600))).containsExactly(a6, a3);
            assertThat(s.count("PUMP_A")).isEqualTo(2);
        }
        assertThat(query(db, "SELECT value FROM iotpm_meta WHERE key='format_version'"))
                .containsExactly(String.valueOf(SqliteStorage.FORMAT_VERSION));
        assertThat(query(db, "SELECT name FROM pragma_table_info('readings') WHERE pk > 0 ORDER BY pk"))
                .containsExactly("_device", "_ts");
        assertThat(query(db, "PRAGMA integrity_check")).containsExactly("ok");
        try (StorageBackend s = StorageBackends.open("sqlite:" + db)) {
            assertThat(s.count("PUMP_A")).isEqualTo(2);
            assertThat(s.latest("PUMP_A", 1)).containsExactly(a3);
        }
    }

    @Test
    void version1File_beforeItsFirstReading_migrates_andThenStoresReadings() throws Exception {
        Path db = dir.resolve("empty.db");
        writeVersion1(db, List.of(), false);
        try (StorageBackend s = StorageBackends.open("sqlite:" + db)) {
            assertThat(s.devices()).isEmpty();
            s.appendAll(List.of(motor("PUMP_A", T0, 1), motor("PUMP_A", T0, 2)));
            assertThat(s.latest("PUMP_A", 5)).containsExactly(motor("PUMP_A", T0, 2));
        }
        assertThat(query(db, "SELECT value FROM iotpm_meta WHERE key='format_version'"))
                .containsExactly(String.valueOf(SqliteStorage.FORMAT_VERSION));
    }
}
