package io.iotpm.storage.sqlite;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.SchemaGuard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writing connection, behind a lock (SQLite allows one writer), with its prepared
 * statements. Every write is one transaction: a batch goes in device by device, in time order,
 * {@value #MAX_ROWS_PER_INSERT} rows per multi-row {@code INSERT OR REPLACE} (the remainder row by
 * row), then one device-table upsert per device and one sequence update; on any failure it rolls
 * back and nothing is stored.
 *
 * <p>(device, timestamp) is the readings table's primary key, so a row with a stored key replaces
 * the stored row (the last write wins; within a batch the later reading, as rows of one timestamp
 * go in in append order). The device table's count must grow only by the keys that are new: a
 * device's batch that starts after its {@code last_seen} (the usual case) cannot hit a stored key
 * and costs one primary-key lookup; otherwise the stored timestamps in the batch's span are read
 * first and the matches are not counted.
 */
final class SqliteWriter implements AutoCloseable {

    /**
     * Rows bound into one multi-row INSERT. sqlite-jdbc steps a batched statement once per row,
     * crossing JNI each time; with 64 rows per statement it steps once per 64 (32 and 128
     * measured no better for the 10-channel motor schema).
     */
    static final int MAX_ROWS_PER_INSERT = 64;
    // SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32; sqlite-jdbc builds allow more.
    private static final int MAX_PARAMETERS = 32_766;

    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final String location;
    private final SchemaGuard schema;
    private PreparedStatement insertReading;   // guarded by lock; one row
    private PreparedStatement insertChunk;     // guarded by lock; rowsPerInsert rows, or null
    private int rowsPerInsert;                 // guarded by lock
    private PreparedStatement upsertDevice;    // guarded by lock
    private PreparedStatement insertEvent;     // guarded by lock
    private PreparedStatement saveSeq;         // guarded by lock
    private PreparedStatement lastSeen;        // guarded by lock
    private PreparedStatement storedTimes;     // guarded by lock
    private long nextSeq;                      // guarded by lock
    private volatile String[] columns;         // quoted channel columns, set with the schema

    /**
     * @param connection the writing connection, in a transaction (auto-commit off)
     * @param location   the store's location, which starts every message
     * @param schema     the store's schema guard
     * @param stored     what the file held when it was opened
     */
    SqliteWriter(Connection connection, String location, SchemaGuard schema, SqliteSchema.Stored stored) {
        this.connection = connection;
        this.location = location;
        this.schema = schema;
        this.nextSeq = stored.nextSeq();
        if (stored.schema() != null) {
            this.columns = SqliteSchema.quotedColumns(stored.schema());
        }
    }

    /** @return the quoted channel columns of the committed readings table, or {@code null} before it exists */
    String[] columns() {
        return columns;
    }

    /**
     * Stores a batch in one transaction.
     *
     * @param rows  the readings, checked against the store's schema
     * @param nanos their timestamps in epoch nanoseconds
     * @param s     their schema
     * @throws StorageException when SQLite fails; nothing was stored then
     */
    void appendAll(SensorReading[] rows, long[] nanos, SensorSchema s) {
        lock.lock();
        try {
            boolean adopted = schema.adopt(s);
            long seqBefore = nextSeq;
            try {
                String[] cols = adopted ? SqliteSchema.createReadingsTable(connection, s) : columns;
                prepareWriterStatements(cols);
                insertBatch(rows, nanos, s.size());
                connection.commit();
                // Readers learn of the table only once it is committed.
                columns = cols;
            } catch (SQLException | RuntimeException e) {
                rollback(e);
                nextSeq = seqBefore;
                if (adopted) {
                    schema.forget(s);
                    SqliteConnections.closeQuietly(insertReading);
                    SqliteConnections.closeQuietly(insertChunk);
                    SqliteConnections.closeQuietly(storedTimes);
                    insertReading = null;
                    insertChunk = null;
                    storedTimes = null;
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StorageException(location + ": cannot store " + rows.length + " readings: "
                        + SqliteConnections.describe((SQLException) e) + "; nothing was stored", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One device's rows of a batch: their indexes in append order, oldest and newest timestamp, count. */
    private static final class DeviceRows {
        int[] index = new int[16];
        int size;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        boolean timeOrdered = true;

        void add(int i, long ts) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
            }
            index[size++] = i;
            timeOrdered &= ts >= maxTs;
            minTs = Math.min(minTs, ts);
            maxTs = Math.max(maxTs, ts);
        }
    }

    /**
     * Counts the keys a device's rows add, inside the write's transaction, before they go in.
     *
     * @param order the batch's row indexes; the device's rows are {@code order[from .. from + g.size)}, in time order
     * @return how many of the rows' distinct timestamps the device does not have stored yet
     */
    private long newKeys(String device, DeviceRows g, int[] order, int from, long[] nanos) throws SQLException {
        long distinct = 0;
        for (int j = from; j < from + g.size; j++) {
            if (j == from || nanos[order[j]] != nanos[order[j - 1]]) {
                distinct++;
            }
        }
        lastSeen.setString(1, device);
        try (ResultSet rs = lastSeen.executeQuery()) {
            if (!rs.next() || rs.getLong(1) < g.minTs) {
                return distinct;
            }
        }
        storedTimes.setString(1, device);
        storedTimes.setLong(2, g.minTs);
        storedTimes.setLong(3, g.maxTs);
        long stored = 0;
        try (ResultSet rs = storedTimes.executeQuery()) {
            // Both sides ascend (the query by primary key, the rows by time): one merge pass.
            int j = from;
            while (rs.next()) {
                long t = rs.getLong(1);
                while (j < from + g.size && nanos[order[j]] < t) {
                    j++;
                }
                if (j < from + g.size && nanos[order[j]] == t) {
                    stored++;
                }
            }
        }
        return distinct - stored;
    }

    private void insertBatch(SensorReading[] rows, long[] nanos, int n) throws SQLException {
        // _seq follows append order, and rows go in device by device, each in time order, equal
        // timestamps in append order (so the later one replaces the earlier): consecutive inserts
        // then land on the same leaf of the clustered table instead of hopping between the
        // devices' pages, which costs less CPU per row.
        Map<String, DeviceRows> perDevice = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            perDevice.computeIfAbsent(rows[i].deviceId(), x -> new DeviceRows()).add(i, nanos[i]);
        }
        List<String> devices = new ArrayList<>(perDevice.keySet());
        Collections.sort(devices);
        int[] order = new int[rows.length];
        long[] added = new long[devices.size()];
        int k = 0;
        for (int di = 0; di < devices.size(); di++) {
            String d = devices.get(di);
            DeviceRows g = perDevice.get(d);
            if (g.timeOrdered) {
                System.arraycopy(g.index, 0, order, k, g.size);
            } else {
                // Rare (readings appended out of time order): a stable sort keeps append order on ties.
                Integer[] byTime = new Integer[g.size];
                for (int j = 0; j < g.size; j++) {
                    byTime[j] = g.index[j];
                }
                Arrays.sort(byTime, Comparator.comparingLong(j -> nanos[j]));
                for (int j = 0; j < g.size; j++) {
                    order[k + j] = byTime[j];
                }
            }
            added[di] = newKeys(d, g, order, k, nanos);
            k += g.size;
        }

        long seq0 = nextSeq;
        int width = 4 + n;
        int done = 0;
        if (insertChunk != null) {
            for (; done + rowsPerInsert <= order.length; done += rowsPerInsert) {
                for (int j = 0; j < rowsPerInsert; j++) {
                    int i = order[done + j];
                    bindRow(insertChunk, j * width, rows[i], nanos[i], seq0 + i, n);
                }
                insertChunk.executeUpdate();
            }
        }
        if (done < order.length) {
            for (; done < order.length; done++) {
                int i = order[done];
                bindRow(insertReading, 0, rows[i], nanos[i], seq0 + i, n);
                insertReading.addBatch();
            }
            insertReading.executeBatch();
        }
        nextSeq = seq0 + rows.length;

        for (int di = 0; di < devices.size(); di++) {
            String d = devices.get(di);
            upsertDevice.setString(1, d);
            upsertDevice.setLong(2, perDevice.get(d).maxTs);
            upsertDevice.setLong(3, added[di]);
            upsertDevice.addBatch();
        }
        upsertDevice.executeBatch();
        saveSeq.setString(1, Long.toString(nextSeq));
        saveSeq.executeUpdate();
    }

    /** Binds one row's parameters, the first at {@code offset + 1}. */
    private static void bindRow(PreparedStatement ps, int offset, SensorReading r, long ts, long seq, int n)
            throws SQLException {
        ps.setString(offset + 1, r.deviceId());
        ps.setLong(offset + 2, ts);
        ps.setLong(offset + 3, seq);
        SqliteValues.setDouble(ps, offset + 4, r.healthScore());
        for (int i = 0; i < n; i++) {
            SqliteValues.setDouble(ps, offset + 5 + i, r.value(i));
        }
    }

    /**
     * Rows per multi-row INSERT for a table with {@code channels} channel columns: up to
     * {@value #MAX_ROWS_PER_INSERT}, fewer when the parameters would pass SQLite's default limit.
     */
    static int rowsPerInsert(int channels) {
        return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, MAX_PARAMETERS / (4 + channels)));
    }

    private void prepareWriterStatements(String[] cols) throws SQLException {
        if (insertReading == null && cols != null) {
            StringBuilder sql = new StringBuilder("INSERT OR REPLACE INTO readings(_device, _ts, _seq, _health");
            StringBuilder q = new StringBuilder("(?, ?, ?, ?");
            for (String c : cols) {
                sql.append(", ").append(c);
                q.append(", ?");
            }
            sql.append(") VALUES ");
            String row = q.append(')').toString();
            insertReading = connection.prepareStatement(sql + row);
            rowsPerInsert = rowsPerInsert(cols.length);
            storedTimes = connection.prepareStatement(
                    "SELECT _ts FROM readings WHERE _device = ? AND _ts >= ? AND _ts <= ? ORDER BY _ts");
            if (rowsPerInsert > 1) {
                insertChunk = connection.prepareStatement(sql + String.join(", ", Collections.nCopies(rowsPerInsert, row)));
            }
        }
        if (upsertDevice == null) {
            upsertDevice = connection.prepareStatement("INSERT INTO devices(device_id, last_seen, reading_count)"
                    + " VALUES(?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET"
                    + " last_seen = max(last_seen, excluded.last_seen),"
                    + " reading_count = reading_count + excluded.reading_count");
            insertEvent = connection.prepareStatement("INSERT INTO events(_device, _ts, kind, detail) VALUES(?, ?, ?, ?)");
            saveSeq = connection.prepareStatement("INSERT OR REPLACE INTO iotpm_meta(key, value) VALUES('next_seq', ?)");
            lastSeen = connection.prepareStatement("SELECT last_seen FROM devices WHERE device_id = ?");
        }
    }

    /**
     * Stores an event in its own transaction.
     *
     * @param ts its timestamp in epoch nanoseconds
     */
    void appendEvent(DeviceEvent event, long ts) {
        lock.lock();
        try {
            prepareWriterStatements(columns);
            insertEvent.setString(1, event.deviceId());
            insertEvent.setLong(2, ts);
            insertEvent.setString(3, event.kind());
            insertEvent.setString(4, event.detail());
            insertEvent.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw new StorageException(location + ": cannot store event " + event + ": "
                    + SqliteConnections.describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes readings and events before {@code ts} and rebuilds the device table, in one transaction.
     *
     * @param ts     the cutoff in epoch nanoseconds
     * @param cutoff the cutoff, for the message
     * @return the number of readings deleted
     */
    long deleteBefore(long ts, Instant cutoff) {
        return delete(ts, cutoff, true);
    }

    /**
     * Deletes events before {@code ts}, leaving the readings.
     *
     * @return the number of events deleted
     */
    long deleteEventsBefore(long ts, Instant cutoff) {
        return delete(ts, cutoff, false);
    }

    /** @return readings deleted when {@code readings} is set, else events deleted */
    private long delete(long ts, Instant cutoff, boolean readings) {
        lock.lock();
        try {
            long deleted = 0;
            long events;
            try (PreparedStatement ev = connection.prepareStatement("DELETE FROM events WHERE _ts < ?")) {
                ev.setLong(1, ts);
                events = ev.executeLargeUpdate();
            }
            if (readings && columns != null) {
                try (PreparedStatement del = connection.prepareStatement("DELETE FROM readings WHERE _ts < ?")) {
                    del.setLong(1, ts);
                    deleted = del.executeLargeUpdate();
                }
                if (deleted > 0) {
                    try (Statement st = connection.createStatement()) {
                        st.executeUpdate("DELETE FROM devices");
                        st.executeUpdate(SqliteSchema.RECOUNT_DEVICES);
                    }
                }
            }
            connection.commit();
            return readings ? deleted : events;
        } catch (SQLException e) {
            rollback(e);
            throw new StorageException(location + ": cannot delete before " + cutoff + ": "
                    + SqliteConnections.describe(e) + "; nothing was deleted", e);
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Closes the statements and the connection; call once no write can run. */
    @Override
    public void close() {
        SqliteConnections.closeQuietly(insertReading);
        SqliteConnections.closeQuietly(insertChunk);
        SqliteConnections.closeQuietly(upsertDevice);
        SqliteConnections.closeQuietly(insertEvent);
        SqliteConnections.closeQuietly(saveSeq);
        SqliteConnections.closeQuietly(lastSeen);
        SqliteConnections.closeQuietly(storedTimes);
        SqliteConnections.closeQuietly(connection);
    }
}
