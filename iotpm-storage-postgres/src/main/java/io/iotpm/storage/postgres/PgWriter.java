package io.iotpm.storage.postgres;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;

/**
 * Writes batches. The batch, deduplicated and sorted in Java, is first {@code COPY}ed straight
 * into {@code readings}, as fast as PostgreSQL ingests; the primary key refuses the whole COPY when
 * any of its keys is stored already (a redelivery, a retry after a lost acknowledgement). Then the
 * transaction is rolled back and the batch is {@code COPY}ed into a
 * temporary staging table (one per connection, emptied at commit) and moved into {@code readings}
 * by one statement: an {@code INSERT ... ON CONFLICT (device, ts) DO NOTHING RETURNING} of the new
 * rows and the device table's upsert, whose counts grow by exactly the new rows. Only when some
 * rows were not new (a redelivery) does an {@code UPDATE} from the staging table follow, so the
 * last write wins; a batch of new readings never pays for the join.
 * ({@code ON CONFLICT DO UPDATE RETURNING (xmax = 0)} would say which rows are new in one pass,
 * but PostgreSQL refuses system columns of a partitioned table there.) Between two writers of the
 * same key at the same moment, either may win.
 *
 * <p>Sorting by (device, ts) makes every writer lock rows in the same order, so concurrent
 * writers (threads or JVMs) wait for each other instead of deadlocking.
 */
final class PgWriter {

    /** A batch ready to send: one row per (device, ts), the later duplicate kept, sorted. */
    record Batch(SensorReading[] rows, long[] nanos, NavigableSet<Long> days) {
    }

    private final SensorSchema schema;
    private final String insert;
    private final String update;
    /** Physical connections (pgjdbc's, under Hikari's proxies) that already have the staging table. */
    private final Set<Object> staged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    PgWriter(SensorSchema schema) {
        this.schema = schema;
        StringBuilder cols = new StringBuilder("device, ts, health");
        StringBuilder set = new StringBuilder("health = s.health");
        for (int i = 0; i < schema.size(); i++) {
            cols.append(", c").append(i);
            set.append(", c").append(i).append(" = s.c").append(i);
        }
        // "ins" holds exactly the new rows, so the counts grow by them; the result says how many
        // there were, and only when some key was stored already does the UPDATE run.
        this.insert = "WITH ins AS (INSERT INTO readings (" + cols + ") SELECT " + cols + " FROM iotpm_stage"
                + " ON CONFLICT (device, ts) DO NOTHING RETURNING device),"
                + " fresh AS (SELECT device, count(*) AS n FROM ins GROUP BY device),"
                + " dev AS (INSERT INTO devices (device, last_seen, reading_count)"
                + " SELECT s.device, max(s.ts), coalesce(max(f.n), 0) FROM iotpm_stage s LEFT JOIN fresh f"
                + " ON f.device = s.device GROUP BY s.device ORDER BY s.device"
                + " ON CONFLICT (device) DO UPDATE SET last_seen = greatest(devices.last_seen, excluded.last_seen),"
                + " reading_count = devices.reading_count + excluded.reading_count)"
                + " SELECT coalesce(sum(n), 0) FROM fresh";
        // Bounded by the batch's time span (appended as literals), so only its partitions are planned.
        this.update = "UPDATE readings r SET " + set + " FROM iotpm_stage s WHERE r.device = s.device AND r.ts = s.ts";
    }

    /** Keeps the last reading of each (device, ts) and sorts by device, then time. */
    static Batch prepare(SensorReading[] in, long[] inNanos) {
        Map<String, Map<Long, Integer>> last = new HashMap<>();
        for (int k = 0; k < in.length; k++) {
            last.computeIfAbsent(in[k].deviceId(), d -> new HashMap<>()).put(inNanos[k], k);
        }
        Integer[] keep = last.values().stream().flatMap(m -> m.values().stream()).toArray(Integer[]::new);
        Arrays.sort(keep, Comparator.<Integer, String>comparing(k -> in[k].deviceId()).thenComparingLong(k -> inNanos[k]));
        SensorReading[] rows = new SensorReading[keep.length];
        long[] nanos = new long[keep.length];
        NavigableSet<Long> days = new TreeSet<>();
        for (int j = 0; j < keep.length; j++) {
            rows[j] = in[keep[j]];
            nanos[j] = inNanos[keep[j]];
            days.add(PgPartitions.day(nanos[j]));
        }
        return new Batch(rows, nanos, days);
    }

    /**
     * Writes the batch in one transaction on {@code c}: first straight into {@code readings} with
     * {@code COPY} (what a batch of new readings needs: the primary key refuses it whole if any key
     * is stored already, so then every row was new and the counts grow by the batch), and when the
     * key refuses it, again through {@link #merge}.
     */
    void write(Connection c, Batch b) throws SQLException {
        byte[] copy = encode(b);
        PGConnection pg = c.unwrap(PGConnection.class);
        c.setAutoCommit(false);
        try {
            pg.getCopyAPI().copyIn("COPY readings FROM STDIN", new ByteArrayInputStream(copy));
            countNew(c, b);
            c.commit();
            return;
        } catch (SQLException e) {
            rollbackQuietly(c, e);
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
        } catch (RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } catch (IOException e) {
            rollbackQuietly(c, e);
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
        merge(c, b, copy);
    }

    /** Adds a batch of only new readings to the device table: per device its count and newest time. */
    private static void countNew(Connection c, Batch b) throws SQLException {
        List<String> devices = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        SensorReading[] rows = b.rows();
        for (int j = 0; j < rows.length; j++) {
            boolean first = j == 0 || !rows[j].deviceId().equals(rows[j - 1].deviceId());
            if (first) {
                devices.add(rows[j].deviceId());
                last.add(b.nanos()[j]);
                counts.add(0L);
            }
            int k = devices.size() - 1;
            last.set(k, Math.max(last.get(k), b.nanos()[j]));
            counts.set(k, counts.get(k) + 1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (device, last_seen, reading_count)"
                + " SELECT * FROM unnest(?::text[], ?::int8[], ?::int8[]) ORDER BY 1"
                + " ON CONFLICT (device) DO UPDATE SET last_seen = greatest(devices.last_seen, excluded.last_seen),"
                + " reading_count = devices.reading_count + excluded.reading_count")) {
            ps.setArray(1, c.createArrayOf("text", devices.toArray()));
            ps.setArray(2, c.createArrayOf("int8", last.toArray()));
            ps.setArray(3, c.createArrayOf("int8", counts.toArray()));
            ps.executeUpdate();
        }
    }

    /** The batch when some of its keys are stored already: staged, inserted where new, updated where not. */
    private void merge(Connection c, Batch b, byte[] copy) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        c.setAutoCommit(false);
        try {
            boolean create = !staged.contains(pg);
            if (create) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE IF NOT EXISTS iotpm_stage (LIKE readings) ON COMMIT DELETE ROWS");
                }
            }
            pg.getCopyAPI().copyIn("COPY iotpm_stage FROM STDIN", new ByteArrayInputStream(copy));
            long fresh;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(insert)) {
                rs.next();
                fresh = rs.getLong(1);
            }
            if (fresh < b.rows().length) {
                // Some keys were stored before: the last write wins. (This also rewrites the rows just
                // inserted, with the same values; only redelivered batches pay for it.)
                long lo = b.nanos()[0];
                long hi = lo;
                for (long t : b.nanos()) {
                    lo = Math.min(lo, t);
                    hi = Math.max(hi, t);
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate(update + " AND r.ts BETWEEN " + lo + " AND " + hi);
                }
            }
            c.commit();
            if (create) {
                staged.add(pg);   // only now: a rolled-back transaction takes the table with it
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } catch (IOException e) {
            rollbackQuietly(c, e);
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
    }

    /** The batch in COPY's text format: tab-separated, {@code \N} for a missing value. */
    private byte[] encode(Batch b) {
        StringBuilder sb = new StringBuilder(b.rows().length * (24 + 12 * schema.size()));
        double[] values = new double[schema.size()];
        for (int j = 0; j < b.rows().length; j++) {
            SensorReading r = b.rows()[j];
            sb.append(r.deviceId()).append('\t').append(b.nanos()[j]).append('\t');
            number(sb, r.healthScore());
            r.copyValuesTo(values, 0);
            for (double v : values) {
                sb.append('\t');
                number(sb, v);
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void number(StringBuilder sb, double v) {
        if (Double.isNaN(v)) {
            sb.append("\\N");
        } else {
            sb.append(v);
        }
    }

    static void appendEvent(Connection c, DeviceEvent e, long ts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (device, ts, kind, detail) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, e.deviceId());
            ps.setLong(2, ts);
            ps.setString(3, e.kind());
            ps.setString(4, e.detail());
            ps.executeUpdate();
        }
    }

    /**
     * Takes retention's deletions off the device table, in the caller's transaction.
     *
     * @return readings deleted in all
     */
    static long subtractCounts(Connection c, Map<String, Long> deleted) throws SQLException {
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET reading_count = reading_count - ?"
                + " WHERE device = ?")) {
            for (Map.Entry<String, Long> e : new TreeMap<>(deleted).entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.addBatch();
                total += e.getValue();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM devices WHERE reading_count <= 0");
        }
        return total;
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
