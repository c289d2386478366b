package io.iotpm.storage.postgres;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database layout: the metadata table that says whose database this is and which format it
 * has, the versioned migrations that bring an older format up to date, and the sensor schema
 * (kept relationally in {@code iotpm_channels}) that fixes the readings table's columns.
 * Everything here runs in one transaction under an advisory lock, so JVMs opening the same
 * database at once do it one after the other.
 */
final class PgSchema {

    /** Key of the advisory lock that serialises layout changes (schema, partitions) across JVMs. */
    static final long LAYOUT_LOCK = 0x696f74706d4c4bL;   // "iotpmLK"
    static final String APPLICATION = "iotpm";

    /**
     * Migration {@code k} (0-based) brings format {@code k} to {@code k + 1}; the readings table itself
     * is created by {@link #createReadings} once the first reading fixes the columns.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE iotpm_channels (position int PRIMARY KEY, name text NOT NULL UNIQUE, unit text NOT NULL,"
                    + " nominal float8 NOT NULL, normal_min float8 NOT NULL, normal_max float8 NOT NULL,"
                    + " physical_min float8 NOT NULL, physical_max float8 NOT NULL, missing_allowed boolean NOT NULL)",
            "CREATE TABLE devices (device text PRIMARY KEY, last_seen bigint NOT NULL, reading_count bigint NOT NULL)",
            "CREATE TABLE events (id bigserial PRIMARY KEY, device text NOT NULL, ts bigint NOT NULL,"
                    + " kind text NOT NULL, detail text NOT NULL)",
            // Unique, so a redelivered event (a retried write) is stored once.
            "CREATE UNIQUE INDEX events_identity ON events (device, ts, kind, detail)"));

    /** The format this code writes. */
    static final int FORMAT_VERSION = MIGRATIONS.size();

    private final String location;

    PgSchema(String location) {
        this.location = location;
    }

    /**
     * Creates or migrates the layout, refusing a database that is not iotpm's or is newer.
     *
     * @return the sensor schema the database holds, or {@code null} when no reading was written yet
     */
    SensorSchema initialise(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try {
            lock(c);
            int version = storedVersion(c);
            if (version > FORMAT_VERSION) {
                throw new StorageException(location + " has format version " + version + ", newer than the "
                        + FORMAT_VERSION + " this iotpm reads; upgrade iotpm (the database was left unchanged)");
            }
            try (Statement st = c.createStatement()) {
                if (version < 0) {
                    version = 0;
                    st.execute("CREATE TABLE iotpm_meta (key text PRIMARY KEY, value text NOT NULL)");
                    st.execute("INSERT INTO iotpm_meta VALUES ('application', '" + APPLICATION + "'),"
                            + " ('format_version', '0')");
                }
                for (int v = version; v < FORMAT_VERSION; v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        st.execute(sql);
                    }
                }
                if (version < FORMAT_VERSION) {
                    st.execute("UPDATE iotpm_meta SET value = '" + FORMAT_VERSION + "' WHERE key = 'format_version'");
                }
            }
            SensorSchema schema = load(c);
            c.commit();
            return schema;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LAYOUT_LOCK);
            ps.execute();
        }
    }

    /** @return the stored format version, -1 for an empty database; refuses another application's */
    private int storedVersion(Connection c) throws SQLException {
        boolean hasMeta;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('iotpm_meta') IS NOT NULL")) {
            rs.next();
            hasMeta = rs.getBoolean(1);
        }
        if (!hasMeta) {
            List<String> tables = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                         + " ORDER BY tablename LIMIT 5")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                throw new StorageException(location + " is not an iotpm database: it has tables " + tables
                        + " but no iotpm_meta; use an empty database (it was left unchanged)");
            }
            return -1;
        }
        String application = meta(c, "application");
        if (!APPLICATION.equals(application)) {
            throw new StorageException(location + " belongs to another application ('" + application
                    + "' in iotpm_meta); use another database (it was left unchanged)");
        }
        String v = meta(c, "format_version");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new StorageException(location + " has an unreadable format version '" + v + "' in iotpm_meta", e);
        }
    }

    static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM iotpm_meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** @return the schema recorded by the first write, or {@code null} */
    static SensorSchema load(Connection c) throws SQLException {
        String name = meta(c, "schema_name");
        if (name == null) {
            return null;
        }
        SensorSchema.Builder b = SensorSchema.builder(name);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, unit, nominal, normal_min, normal_max, physical_min,"
                     + " physical_max, missing_allowed FROM iotpm_channels ORDER BY position")) {
            while (rs.next()) {
                b.channel(new Channel(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getBoolean(8)));
            }
        }
        return b.build();
    }

    /**
     * Records the schema and creates the partitioned readings table for it, in the caller's
     * transaction (which holds {@link #LAYOUT_LOCK}). Columns are {@code c0..cN} by channel position,
     * so channel names never need quoting; {@code iotpm_channels} maps them back.
     */
    static void createReadings(Connection c, SensorSchema s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iotpm_channels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < s.size(); i++) {
                Channel ch = s.channel(i);
                ps.setInt(1, i);
                ps.setString(2, ch.name());
                ps.setString(3, ch.unit());
                ps.setDouble(4, ch.nominal());
                ps.setDouble(5, ch.normalMin());
                ps.setDouble(6, ch.normalMax());
                ps.setDouble(7, ch.physicalMin());
                ps.setDouble(8, ch.physicalMax());
                ps.setBoolean(9, ch.missingAllowed());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iotpm_meta VALUES ('schema_name', ?)")) {
            ps.setString(1, s.name());
            ps.execute();
        }
        StringBuilder sql = new StringBuilder("CREATE TABLE readings (device text NOT NULL, ts bigint NOT NULL,"
                + " health float8");
        for (int i = 0; i < s.size(); i++) {
            sql.append(", c").append(i).append(" float8");
        }
        sql.append(", PRIMARY KEY (device, ts)) PARTITION BY RANGE (ts)");
        try (Statement st = c.createStatement()) {
            st.execute(sql.toString());
        }
    }
}
