package io.iotpm.storage.sqlite;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.Checks;
import io.iotpm.storage.internal.SchemaGuard;
import io.iotpm.storage.internal.SchemaJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stores readings in an SQLite database file (sqlite-jdbc), in WAL mode.
 *
 * <p>Layout (format version {@value #FORMAT_VERSION}, kept in table {@code iotpm_meta} with the
 * sensor schema as JSON, so later versions can migrate old files):
 * <pre>
 * readings(_device TEXT, _ts INTEGER epoch-nanoseconds, _seq INTEGER, _health REAL, "temperature" REAL, ...)
 *   one column per channel (NULL = missing); WITHOUT ROWID with PRIMARY KEY (_device, _ts, _seq),
 *   so a device's readings are stored together in time order and latest(n) reads a few pages
 * devices(device_id PRIMARY KEY, last_seen, reading_count)   -- kept in the same transactions
 * events(_device, _ts, kind, detail), index events_device_ts on (_device, _ts)
 * </pre>
 * Internal columns start with {@code _}; channel names cannot, so they never collide. {@code _seq}
 * numbers readings in append order (the next number is kept in {@code iotpm_meta}), so equal
 * timestamps keep their order and are never merged.
 *
 * <p>Every write is one transaction through prepared statements: a batch is all or nothing.
 * A batch goes in device by device, in time order, {@value #MAX_ROWS_PER_INSERT} rows per
 * multi-row {@code INSERT} (the remainder row by row), then one device-table upsert per device and
 * one sequence update. One connection writes (behind a lock, as SQLite allows one writer); reads
 * use a small pool of other connections, which WAL lets run beside the writer. Connections are
 * opened in SQLite's multi-thread mode, as each is used by one thread at a time; the store is safe
 * for any number of threads. The writer checkpoints the WAL every
 * {@value #WAL_AUTOCHECKPOINT_PAGES} pages (about 40 MB) instead of SQLite's 1,000.
 *
 * <p>Durability ({@link Synchronous}): with the default {@code NORMAL}, a write that returned
 * survives a crash of this process ({@code kill -9}), but the last transactions before an OS crash
 * or power failure may be rolled back (the file stays consistent); {@code FULL} syncs the WAL on
 * every commit so they survive power failure too, at the cost of an fsync per write.
 *
 * <p>Limits: timestamps must lie in 1677..2262 (epoch nanoseconds in a 64-bit integer);
 * {@link #deleteBefore(Instant)} scans the table (there is no index on time alone, to keep
 * appends fast) and rebuilds the device table.
 */
public final class SqliteStorage implements StorageBackend {

    /** The file layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Default number of pooled read connections. */
    public static final int DEFAULT_READERS = 4;
    /** Default time a write waits for another process's lock. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

    /** How much a write may lose when the machine, not just this process, goes down. */
    public enum Synchronous {
        /**
         * The default. The WAL is written on commit but synced only at checkpoints: a write that
         * returned survives a process crash; on power failure or OS crash the most recent
         * transactions (those since the last checkpoint, normally up to ~40 MB of WAL) may be lost, and
         * the database stays consistent.
         */
        NORMAL,
        /**
         * The WAL is synced on every commit: a write that returned survives power failure too
         * (on storage that honours fsync). Each write costs an fsync.
         */
        FULL
    }

    // Format version N is reached by running MIGRATIONS[N-1] on a file at version N-1.
    private static final String[][] MIGRATIONS = {
        {
            "CREATE TABLE devices(device_id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL,"
                    + " reading_count INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE events(_device TEXT NOT NULL, _ts INTEGER NOT NULL, kind TEXT NOT NULL,"
                    + " detail TEXT NOT NULL)",
            "CREATE INDEX events_device_ts ON events(_device, _ts)",
        },
    };

    /**
     * Rows bound into one multi-row INSERT. sqlite-jdbc steps a batched statement once per row,
     * crossing JNI each time; with 64 rows per statement it steps once per 64 (32 and 128
     * measured no better for the 10-channel motor schema).
     */
    static final int MAX_ROWS_PER_INSERT = 64;
    // SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32; sqlite-jdbc builds allow more.
    private static final int MAX_PARAMETERS = 32_766;
    /**
     * WAL pages between automatic checkpoints (SQLite's default is 1,000, ~4 MB). Fewer, larger
     * checkpoints copy each hot page to the database file once instead of once per 4 MB and cost
     * fewer fsyncs; the WAL grows to ~40 MB. The guarantees do not change (a returned write
     * survives a process crash; FULL loses nothing on power failure), but with NORMAL a power
     * failure may now lose up to ~40 MB of the newest transactions instead of ~4 MB: NORMAL syncs
     * the WAL only when it checkpoints.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    private static final Instant MIN_INSTANT = instant(Long.MIN_VALUE);
    private static final Instant MAX_INSTANT = instant(Long.MAX_VALUE);

    private final Path file;
    private final String location;
    private final Synchronous synchronous;
    private final int busyTimeoutMs;
    private final SchemaGuard schema;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Connection writer;
    private final BlockingQueue<Reader> idleReaders;
    private final List<Reader> allReaders = new ArrayList<>();
    private final int maxReaders;
    private PreparedStatement insertReading;   // guarded by writeLock; one row
    private PreparedStatement insertChunk;     // guarded by writeLock; rowsPerInsert rows, or null
    private int rowsPerInsert;                 // guarded by writeLock
    private PreparedStatement upsertDevice;    // guarded by writeLock
    private PreparedStatement insertEvent;     // guarded by writeLock
    private PreparedStatement saveSeq;         // guarded by writeLock
    private long nextSeq;                      // guarded by writeLock
    private volatile String[] columns;         // quoted channel columns, set with the schema
    private boolean closed;                    // guarded by lifecycle

    private SqliteStorage(Builder b) {
        this.file = b.file;
        this.location = "sqlite:" + b.file;
        this.synchronous = b.synchronous;
        this.busyTimeoutMs = (int) b.busyTimeout.toMillis();
        this.maxReaders = b.readers;
        this.idleReaders = new ArrayBlockingQueue<>(b.readers);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(location + " is a directory, not a database file");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageException(location + ": cannot create its directory: " + e, e);
        }
        Connection c = null;
        SensorSchema stored;
        try {
            c = connect();
            stored = initialise(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StorageException(location + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        this.writer = c;
        this.schema = new SchemaGuard(location, stored);
        if (stored != null) {
            this.columns = quotedColumns(stored);
        }
    }

    /**
     * @param file the database file; created (with its directories) if missing
     * @return a builder
     */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** @return the database file */
    public Path file() {
        return file;
    }

    /** @return the durability level this store commits with */
    public Synchronous synchronous() {
        return synchronous;
    }

    private static String describe(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_NOTADB") || m.contains("not a database")) {
            return "the file is not an SQLite database (" + m + "); it was not modified";
        }
        return m;
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        // Multi-thread mode: SQLite skips its per-connection mutex on every call (measured ~10%
        // of an insert's CPU). Safe because no connection is ever used by two threads at once:
        // the writer is used only under writeLock, a reader only by the thread that took it from
        // the pool, and close() runs after every call has left (lifecycle lock).
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Checks the file, migrates it to the current format, and returns the stored schema (or null). */
    private SensorSchema initialise(Connection c) throws SQLException {
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
            c.setAutoCommit(false);
            st.execute("CREATE TABLE IF NOT EXISTS iotpm_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            int version = 0;
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
            if (version > FORMAT_VERSION) {
                throw new StorageException(location + " has format version " + version
                        + ", written by a newer iotpm; this version reads up to " + FORMAT_VERSION);
            }
            for (int v = version; v < FORMAT_VERSION; v++) {
                for (String sql : MIGRATIONS[v]) {
                    st.execute(sql);
                }
                LOG.debug("{}: migrated to format version {}", location, v + 1);
            }
            if (version != FORMAT_VERSION) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR REPLACE INTO iotpm_meta(key, value) VALUES('format_version', ?)")) {
                    ps.setString(1, Integer.toString(FORMAT_VERSION));
                    ps.executeUpdate();
                }
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
            c.commit();
            return s;
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

    private static String[] quotedColumns(SensorSchema s) {
        String[] cols = new String[s.size()];
        for (int i = 0; i < cols.length; i++) {
            // Channel names match [a-z][a-z0-9_]*, so quoting only guards against SQL keywords.
            cols[i] = '"' + s.channelName(i) + '"';
        }
        return cols;
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public void append(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        appendAll(List.of(reading));
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        SensorReading[] rows = Objects.requireNonNull(readings, "readings").toArray(new SensorReading[0]);
        SensorSchema s = schema.check(Arrays.asList(rows));
        long[] nanos = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            nanos[k] = epochNanos(rows[k].timestamp());
        }
        lifecycle.readLock().lock();
        writeLock.lock();
        try {
            ensureOpen();
            if (s == null) {
                return;
            }
            boolean adopted = schema.adopt(s);
            long seqBefore = nextSeq;
            try {
                String[] cols = adopted ? createReadingsTable(s) : columns;
                prepareWriterStatements(cols);
                insertBatch(rows, nanos, s.size());
                writer.commit();
                // Readers learn of the table only once it is committed.
                columns = cols;
            } catch (SQLException | RuntimeException e) {
                rollback(e);
                nextSeq = seqBefore;
                if (adopted) {
                    schema.forget(s);
                    closeQuietly(insertReading);
                    closeQuietly(insertChunk);
                    insertReading = null;
                    insertChunk = null;
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StorageException(location + ": cannot store " + rows.length + " readings: "
                        + describe((SQLException) e) + "; nothing was stored", e);
            }
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    /** One device's rows of a batch: their indexes in append order, newest timestamp, count. */
    private static final class DeviceRows {
        int[] index = new int[16];
        int size;
        long maxTs = Long.MIN_VALUE;
        boolean timeOrdered = true;

        void add(int i, long ts) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
            }
            index[size++] = i;
            timeOrdered &= ts >= maxTs;
            maxTs = Math.max(maxTs, ts);
        }
    }

    private void insertBatch(SensorReading[] rows, long[] nanos, int n) throws SQLException {
        // _seq follows append order (so equal timestamps keep it), but rows go in device by device,
        // each in time order: consecutive inserts then land on the same leaf of the clustered table
        // instead of hopping between the devices' pages, which costs less CPU per row.
        Map<String, DeviceRows> perDevice = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            perDevice.computeIfAbsent(rows[i].deviceId(), x -> new DeviceRows()).add(i, nanos[i]);
        }
        List<String> devices = new ArrayList<>(perDevice.keySet());
        Collections.sort(devices);
        int[] order = new int[rows.length];
        int k = 0;
        for (String d : devices) {
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

        for (String d : devices) {
            DeviceRows g = perDevice.get(d);
            upsertDevice.setString(1, d);
            upsertDevice.setLong(2, g.maxTs);
            upsertDevice.setLong(3, g.size);
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
        setDouble(ps, offset + 4, r.healthScore());
        for (int i = 0; i < n; i++) {
            setDouble(ps, offset + 5 + i, r.value(i));
        }
    }

    /**
     * Rows per multi-row INSERT for a table with {@code channels} channel columns: up to
     * {@value #MAX_ROWS_PER_INSERT}, fewer when the parameters would pass SQLite's default limit.
     */
    static int rowsPerInsert(int channels) {
        return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, MAX_PARAMETERS / (4 + channels)));
    }

    private String[] createReadingsTable(SensorSchema s) throws SQLException {
        String[] cols = quotedColumns(s);
        StringBuilder ddl = new StringBuilder(
                "CREATE TABLE readings(_device TEXT NOT NULL, _ts INTEGER NOT NULL, _seq INTEGER NOT NULL, _health REAL");
        for (String c : cols) {
            ddl.append(", ").append(c).append(" REAL");
        }
        ddl.append(", PRIMARY KEY (_device, _ts, _seq)) WITHOUT ROWID");
        try (Statement st = writer.createStatement()) {
            st.execute(ddl.toString());
        }
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT INTO iotpm_meta(key, value) VALUES('sensor_schema', ?)")) {
            ps.setString(1, SchemaJson.write(s));
            ps.executeUpdate();
        }
        return cols;
    }

    private void prepareWriterStatements(String[] cols) throws SQLException {
        if (insertReading == null && cols != null) {
            StringBuilder sql = new StringBuilder("INSERT INTO readings(_device, _ts, _seq, _health");
            StringBuilder q = new StringBuilder("(?, ?, ?, ?");
            for (String c : cols) {
                sql.append(", ").append(c);
                q.append(", ?");
            }
            sql.append(") VALUES ");
            String row = q.append(')').toString();
            insertReading = writer.prepareStatement(sql + row);
            rowsPerInsert = rowsPerInsert(cols.length);
            if (rowsPerInsert > 1) {
                insertChunk = writer.prepareStatement(sql + String.join(", ", Collections.nCopies(rowsPerInsert, row)));
            }
        }
        if (upsertDevice == null) {
            upsertDevice = writer.prepareStatement("INSERT INTO devices(device_id, last_seen, reading_count)"
                    + " VALUES(?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET"
                    + " last_seen = max(last_seen, excluded.last_seen),"
                    + " reading_count = reading_count + excluded.reading_count");
            insertEvent = writer.prepareStatement("INSERT INTO events(_device, _ts, kind, detail) VALUES(?, ?, ?, ?)");
            saveSeq = writer.prepareStatement("INSERT OR REPLACE INTO iotpm_meta(key, value) VALUES('next_seq', ?)");
        }
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + t + " is outside what SQLite storage holds"
                    + " (1677-09-21 to 2262-04-11, epoch nanoseconds in 64 bits)", e);
        }
    }

    private static long clampNanos(Instant t) {
        if (t.isBefore(MIN_INSTANT)) {
            return Long.MIN_VALUE;
        }
        if (t.isAfter(MAX_INSTANT)) {
            return Long.MAX_VALUE;
        }
        return epochNanos(t);
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private void rollback(Exception cause) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        long ts = epochNanos(event.timestamp());
        lifecycle.readLock().lock();
        writeLock.lock();
        try {
            ensureOpen();
            try {
                prepareWriterStatements(columns);
                insertEvent.setString(1, event.deviceId());
                insertEvent.setLong(2, ts);
                insertEvent.setString(3, event.kind());
                insertEvent.setString(4, event.detail());
                insertEvent.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                rollback(e);
                throw new StorageException(location + ": cannot store event " + event + ": " + describe(e), e);
            }
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        long ts = clampNanos(Objects.requireNonNull(cutoff, "cutoff"));
        lifecycle.readLock().lock();
        writeLock.lock();
        try {
            ensureOpen();
            try {
                long deleted = 0;
                try (PreparedStatement ev = writer.prepareStatement("DELETE FROM events WHERE _ts < ?")) {
                    ev.setLong(1, ts);
                    ev.executeUpdate();
                }
                if (columns != null) {
                    try (PreparedStatement del = writer.prepareStatement("DELETE FROM readings WHERE _ts < ?")) {
                        del.setLong(1, ts);
                        deleted = del.executeLargeUpdate();
                    }
                    if (deleted > 0) {
                        try (Statement st = writer.createStatement()) {
                            st.executeUpdate("DELETE FROM devices");
                            st.executeUpdate("INSERT INTO devices(device_id, last_seen, reading_count)"
                                    + " SELECT _device, max(_ts), count(*) FROM readings GROUP BY _device");
                        }
                    }
                }
                writer.commit();
                return deleted;
            } catch (SQLException e) {
                rollback(e);
                throw new StorageException(location + ": cannot delete before " + cutoff + ": " + describe(e)
                        + "; nothing was deleted", e);
            }
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** A pooled read connection with its prepared statements; used by one thread at a time. */
    private final class Reader {
        final Connection c;
        PreparedStatement latest;
        PreparedStatement range;
        PreparedStatement devices;
        PreparedStatement count;
        PreparedStatement events;

        Reader(Connection c) {
            this.c = c;
        }

        PreparedStatement readings(boolean latestQuery, String[] cols) throws SQLException {
            if (latest == null) {
                String select = "SELECT _ts, _health, " + String.join(", ", cols) + " FROM readings WHERE _device = ?";
                // Both orders are the primary key's, so SQLite walks the table without sorting.
                latest = c.prepareStatement(select + " ORDER BY _ts DESC, _seq DESC LIMIT ?");
                range = c.prepareStatement(select + " AND _ts >= ? AND _ts < ? ORDER BY _ts, _seq");
            }
            return latestQuery ? latest : range;
        }
    }

    @FunctionalInterface
    private interface ReadAction<T> {
        T run(Reader r) throws SQLException;
    }

    private <T> T read(String what, ReadAction<T> action) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            Reader r = idleReaders.poll();
            if (r == null) {
                r = newReaderOrWait();
            }
            try {
                return action.run(r);
            } finally {
                idleReaders.add(r);
            }
        } catch (SQLException e) {
            throw new StorageException(location + ": cannot read " + what + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(location + ": interrupted while waiting for a read connection", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Reader newReaderOrWait() throws SQLException, InterruptedException {
        synchronized (allReaders) {
            if (allReaders.size() < maxReaders) {
                Connection c = connect();
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA query_only=1");
                } catch (SQLException e) {
                    closeQuietly(c);
                    throw e;
                }
                Reader r = new Reader(c);
                allReaders.add(r);
                return r;
            }
        }
        return idleReaders.take();
    }

    private SensorReading row(ResultSet rs, String deviceId, SensorSchema s) throws SQLException {
        long ts = rs.getLong(1);
        double health = rs.getDouble(2);
        if (rs.wasNull()) {
            health = Double.NaN;
        }
        double[] values = new double[s.size()];
        for (int i = 0; i < values.length; i++) {
            double v = rs.getDouble(3 + i);
            values[i] = rs.wasNull() ? Double.NaN : v;
        }
        try {
            return SensorReading.of(deviceId, instant(ts), s, values, health);
        } catch (IllegalArgumentException e) {
            throw new StorageException(location + ": stored row of device '" + deviceId + "' at " + instant(ts)
                    + " is not valid: " + e.getMessage(), e);
        }
    }

    private List<SensorReading> readings(Reader r, boolean latest, String deviceId, long a, long b)
            throws SQLException {
        SensorSchema s = schema.schema();
        String[] cols = columns;
        if (s == null || cols == null) {
            return List.of();
        }
        PreparedStatement ps = r.readings(latest, cols);
        ps.setString(1, deviceId);
        if (latest) {
            ps.setLong(2, a);
        } else {
            ps.setLong(2, a);
            ps.setLong(3, b);
        }
        List<SensorReading> out = new ArrayList<>(latest ? (int) Math.min(a, 1024) : 16);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs, deviceId, s));
            }
        }
        return out;
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        Checks.latest(deviceId, n);
        return read("latest readings of " + deviceId, r -> readings(r, true, deviceId, n, 0));
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        long a = clampNanos(from);
        long b = clampNanos(to);
        return read("readings of " + deviceId, r -> readings(r, false, deviceId, a, b));
    }

    @Override
    public List<DeviceInfo> devices() {
        return read("devices", r -> {
            if (r.devices == null) {
                r.devices = r.c.prepareStatement("SELECT device_id, last_seen, reading_count FROM devices"
                        + " WHERE reading_count > 0 ORDER BY device_id");
            }
            List<DeviceInfo> out = new ArrayList<>();
            try (ResultSet rs = r.devices.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceInfo(rs.getString(1), instant(rs.getLong(2)), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        return read("count of " + deviceId, r -> {
            if (r.count == null) {
                r.count = r.c.prepareStatement("SELECT reading_count FROM devices WHERE device_id = ?");
            }
            r.count.setString(1, deviceId);
            try (ResultSet rs = r.count.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        long a = clampNanos(from);
        long b = clampNanos(to);
        return read("events of " + deviceId, r -> {
            if (r.events == null) {
                r.events = r.c.prepareStatement("SELECT _ts, kind, detail FROM events WHERE _device = ?"
                        + " AND _ts >= ? AND _ts < ? ORDER BY _ts, rowid");
            }
            r.events.setString(1, deviceId);
            r.events.setLong(2, a);
            r.events.setLong(3, b);
            List<DeviceEvent> out = new ArrayList<>();
            try (ResultSet rs = r.events.executeQuery()) {
                while (rs.next()) {
                    out.add(event(deviceId, instant(rs.getLong(1)), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    private DeviceEvent event(String deviceId, Instant t, String kind, String detail) {
        return switch (kind) {
            case "failure" -> new FailureEvent(deviceId, t, detail);
            case "maintenance" -> new MaintenanceEvent(deviceId, t, detail);
            default -> throw new StorageException(location + ": stored event of device '" + deviceId + "' at " + t
                    + " has unknown kind '" + kind + "'");
        };
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + location + " is closed");
        }
    }

    /** Waits for running calls, then closes every connection (SQLite checkpoints the WAL). */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (allReaders) {
                for (Reader r : allReaders) {
                    closeQuietly(r.c);
                }
                allReaders.clear();
            }
            idleReaders.clear();
            closeQuietly(insertReading);
            closeQuietly(insertChunk);
            closeQuietly(upsertDevice);
            closeQuietly(insertEvent);
            closeQuietly(saveSeq);
            closeQuietly(writer);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed", c, e);
            }
        }
    }

    @Override
    public String toString() {
        return location;
    }

    /** Builds a {@link SqliteStorage}; {@link #build()} opens the file. */
    public static final class Builder {
        private final Path file;
        private Synchronous synchronous = Synchronous.NORMAL;
        private int readers = DEFAULT_READERS;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /**
         * @param synchronous durability level; default {@link Synchronous#NORMAL}
         * @return this builder
         */
        public Builder synchronous(Synchronous synchronous) {
            this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
            return this;
        }

        /**
         * @param readers pooled read connections, 1..64; default {@value SqliteStorage#DEFAULT_READERS}
         * @return this builder
         * @throws IllegalArgumentException outside 1..64
         */
        public Builder readers(int readers) {
            if (readers < 1 || readers > 64) {
                throw new IllegalArgumentException("readers must be in 1..64, but was " + readers);
            }
            this.readers = readers;
            return this;
        }

        /**
         * @param busyTimeout how long a write waits for another process's lock, 0..1 h; default 5 s
         * @return this builder
         * @throws IllegalArgumentException when negative or over an hour
         */
        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("busyTimeout must be in 0..1h, but was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /**
         * Opens (creating if missing) the database and migrates it to the current format.
         *
         * @return the open store
         * @throws StorageException when the file is not an SQLite database, belongs to another
         *                          application, or was written by a newer format; the file is left as it was
         */
        public SqliteStorage build() {
            return new SqliteStorage(this);
        }
    }
}
