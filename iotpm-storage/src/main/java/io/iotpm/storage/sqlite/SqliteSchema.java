package io.iotpm.storage.sqlite;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.SchemaJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database's layout: the pragmas a store sets, the format version and its migrations, the
 * check that a file's tables match its stored schema, and the readings table created for the
 * first schema written. See {@link SqliteStorage} for the layout as a whole.
 */
final class SqliteSchema {

    // The store's logger, so hosts keep configuring one category per backend.
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

    /**
     * WAL pages between automatic checkpoints (SQLite's default is 1,000, ~4 MB). Fewer, larger
     * checkpoints copy each hot page to the database file once instead of once per 4 MB and cost
     * fewer fsyncs; the WAL grows to ~40 MB. The guarantees do not change (a returned write
     * survives a process crash; FULL loses nothing on power failure), but with NORMAL a power
     * failure may now lose up to ~40 MB of the newest transactions instead of ~4 MB: NORMAL syncs
     * the WAL only when it checkpoints.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    /**
     * The writing connection's page cache, at most 64 MiB (negative: KiB), allocated only as pages are
     * used. A batch from a large fleet touches one B-tree leaf per device (the key is device, time);
     * with SQLite's default 2 MiB those leaves were read back from the OS on every batch. Measured
     * with 2,000 devices in batches of 10,000: 96-111 k readings/s against 87-96 k, system time
     * 1.26 s against 1.75-1.77 s (load 5-6).
     */
    static final int WRITER_CACHE_KIB = -65_536;

    /** Refills the (emptied) device table from the readings. */
    static final String RECOUNT_DEVICES = "INSERT INTO devices(device_id, last_seen, reading_count)"
            + " SELECT _device, max(_ts), count(*) FROM readings GROUP BY _device";

    // Format version N is reached by running MIGRATIONS[N-1] on a file at version N-1; version 2
    // also rebuilds an existing readings table (keyReadingsByDeviceAndTime), whose columns depend on
    // the stored schema.
    private static final String[][] MIGRATIONS = {
        {
            "CREATE TABLE devices(device_id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL,"
                    + " reading_count INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE events(_device TEXT NOT NULL, _ts INTEGER NOT NULL, kind TEXT NOT NULL,"
                    + " detail TEXT NOT NULL)",
            "CREATE INDEX events_device_ts ON events(_device, _ts)",
        },
        {},
    };

    /**
     * What an opened file holds.
     *
     * @param schema  the stored sensor schema, or {@code null} before the first reading
     * @param nextSeq the number the next reading gets
     */
    record Stored(SensorSchema schema, long nextSeq) {
    }

    private final String location;

    /** @param location the store's location, which starts every message */
    SqliteSchema(String location) {
        this.location = location;
    }

    /** Checks the file, migrates it to the current format, and returns what it holds. */
    Stored initialise(Connection c, SqliteStorage.Synchronous synchronous) throws SQLException {
        try (Statement st = c.createStatement()) {
            // Listing the tables first makes SQLite read the header: a file that is not a database
            // fails here, before any pragma could write to it.
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty() && !tables.contains("iotpm_meta")) {
                throw new StorageException(location + " is an SQLite database of another application (tables "
                        + tables + ", no iotpm_meta); it was not modified");
            }
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=" + synchronous.name());
            st.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
            st.execute("PRAGMA cache_size=" + WRITER_CACHE_KIB);
            c.setAutoCommit(false);
            st.execute("CREATE TABLE IF NOT EXISTS iotpm_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            int version = 0;
            long nextSeq = 0;
            String schemaJson = null;
            try (ResultSet rs = st.executeQuery("SELECT key, value FROM iotpm_meta")) {
                while (rs.next()) {
                    if (rs.getString(1).equals("next_seq")) {
                        nextSeq = parseVersion(rs.getString(2));
                    } else if (rs.getString(1).equals("format_version")) {
                        version = (int) parseVersion(rs.getString(2));
                    } else if (rs.getString(1).equals("sensor_schema")) {
                        schemaJson = rs.getString(2);
                    }
                }
            }
            if (version > SqliteStorage.FORMAT_VERSION) {
                throw new StorageException(location + " has format version " + version
                        + ", written by a newer iotpm; this version reads up to " + SqliteStorage.FORMAT_VERSION);
            }
            SensorSchema s = null;
            if (schemaJson != null) {
                try {
                    s = SchemaJson.read(schemaJson, location);
                } catch (IllegalArgumentException e) {
                    throw new StorageException(e.getMessage(), e);
                }
                checkColumns(st, s);
            }
            for (int v = version; v < SqliteStorage.FORMAT_VERSION; v++) {
                for (String sql : MIGRATIONS[v]) {
                    st.execute(sql);
                }
                if (v + 1 == 2 && s != null) {
                    keyReadingsByDeviceAndTime(st, s);
                }
                LOG.debug("{}: migrated to format version {}", location, v + 1);
            }
            if (version != SqliteStorage.FORMAT_VERSION) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR REPLACE INTO iotpm_meta(key, value) VALUES('format_version', ?)")) {
                    ps.setString(1, Integer.toString(SqliteStorage.FORMAT_VERSION));
                    ps.executeUpdate();
                }
            }
            c.commit();
            return new Stored(s, nextSeq);
        } catch (SQLException | RuntimeException e) {
            if (!c.getAutoCommit()) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private long parseVersion(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new StorageException(location + ": a value in iotpm_meta is not a number: '" + v + "'", e);
        }
    }

    private void checkColumns(Statement st, SensorSchema s) throws SQLException {
        List<String> actual = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(readings)")) {
            while (rs.next()) {
                actual.add(rs.getString("name"));
            }
        }
        List<String> expected = new ArrayList<>(List.of("_device", "_ts", "_seq", "_health"));
        for (int i = 0; i < s.size(); i++) {
            expected.add(s.channelName(i));
        }
        if (!actual.equals(expected)) {
            throw new StorageException(location + ": table readings has columns " + actual
                    + ", but its stored schema '" + s.name() + "' needs " + expected);
        }
    }

    /**
     * Version 2: (device, timestamp) becomes the readings' primary key. Version 1 keyed rows by
     * (device, timestamp, seq) and kept equal timestamps side by side; of each such run the row
     * written last (highest seq) is kept, as the last write now wins, and the device table is
     * recounted. A WITHOUT ROWID table's key cannot change in place, so the table is copied.
     */
    private void keyReadingsByDeviceAndTime(Statement st, SensorSchema s) throws SQLException {
        st.execute(readingsDdl("readings_v2", quotedColumns(s)));
        // The correlated max(_seq) is a seek on the old primary key, so the copy stays one pass.
        int kept = st.executeUpdate("INSERT INTO readings_v2 SELECT * FROM readings r WHERE _seq ="
                + " (SELECT max(_seq) FROM readings WHERE _device = r._device AND _ts = r._ts)");
        long before;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM readings")) {
            rs.next();
            before = rs.getLong(1);
        }
        st.execute("DROP TABLE readings");
        st.execute("ALTER TABLE readings_v2 RENAME TO readings");
        st.executeUpdate("DELETE FROM devices");
        st.executeUpdate(RECOUNT_DEVICES);
        if (before != kept) {
            LOG.info("{}: format version 2 keeps one reading per device and timestamp: {} of {} readings were"
                    + " replaced by a later one with the same timestamp", location, before - kept, before);
        }
    }

    private static String readingsDdl(String table, String[] cols) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table
                + "(_device TEXT NOT NULL, _ts INTEGER NOT NULL, _seq INTEGER NOT NULL, _health REAL");
        for (String c : cols) {
            ddl.append(", ").append(c).append(" REAL");
        }
        return ddl.append(", PRIMARY KEY (_device, _ts)) WITHOUT ROWID").toString();
    }

    /** @return the channels' column names, quoted */
    static String[] quotedColumns(SensorSchema s) {
        String[] cols = new String[s.size()];
        for (int i = 0; i < cols.length; i++) {
            // Channel names match [a-z][a-z0-9_]*, so quoting only guards against SQL keywords.
            cols[i] = '"' + s.channelName(i) + '"';
        }
        return cols;
    }

    /**
     * Creates the readings table for the first schema written and stores the schema, inside the
     * writer's open transaction.
     *
     * @return the channels' column names, quoted
     */
    static String[] createReadingsTable(Connection writer, SensorSchema s) throws SQLException {
        String[] cols = quotedColumns(s);
        try (Statement st = writer.createStatement()) {
            st.execute(readingsDdl("readings", cols));
        }
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT INTO iotpm_meta(key, value) VALUES('sensor_schema', ?)")) {
            ps.setString(1, SchemaJson.write(s));
            ps.executeUpdate();
        }
        return cols;
    }
}
