package io.iotpm.storage.sqlite;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.core.storage.StorageLifecycle;
import io.iotpm.storage.internal.Checks;
import io.iotpm.storage.internal.SchemaGuard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Stores readings in an SQLite database file (sqlite-jdbc), in WAL mode.
 *
 * <p>Layout (format version {@value #FORMAT_VERSION}, kept in table {@code iotpm_meta} with the
 * sensor schema as JSON, so later versions can migrate old files):
 * <pre>
 * readings(_device TEXT, _ts INTEGER epoch-nanoseconds, _seq INTEGER, _health REAL, "temperature" REAL, ...)
 *   one column per channel (NULL = missing); WITHOUT ROWID with PRIMARY KEY (_device, _ts),
 *   so a device's readings are stored together in time order and latest(n) reads a few pages
 * devices(device_id PRIMARY KEY, last_seen, reading_count)   -- kept in the same transactions
 * events(_device, _ts, kind, detail), index events_device_ts on (_device, _ts)
 * </pre>
 * Internal columns start with {@code _}; channel names cannot, so they never collide. (device,
 * timestamp) is a reading's identity: writing a stored one replaces its row (the last write wins, a
 * redelivered batch changes nothing, and the device table counts each key once). {@code _seq}
 * numbers writes in append order (the next number is kept in {@code iotpm_meta}) and records
 * which write a row came from. Version 1 files (primary key (_device, _ts, _seq), where equal
 * timestamps were kept side by side) are migrated on open: of each run of equal keys the row
 * written last is kept, and the device table is recounted.
 *
 * <p>Every write is one transaction through prepared statements: a batch is all or nothing.
 * A batch goes in device by device, in time order, 64 rows per
 * multi-row {@code INSERT OR REPLACE} (the remainder row by row), then one device-table upsert per device and
 * one sequence update. One connection writes (behind a lock, as SQLite allows one writer); reads
 * use a small pool of other connections, which WAL lets run beside the writer. Connections are
 * opened in SQLite's multi-thread mode, as each is used by one thread at a time; the store is safe
 * for any number of threads. The writer checkpoints the WAL every
 * 10,000 pages (about 40 MB) instead of SQLite's 1,000.
 *
 * <p>Durability ({@link Synchronous}): with the default {@code NORMAL}, a write that returned
 * survives a crash of this process ({@code kill -9}), but the last transactions before an OS crash
 * or power failure may be rolled back (the file stays consistent); {@code FULL} syncs the WAL on
 * every commit so they survive power failure too, at the cost of an fsync per write.
 *
 * <p>Limits: timestamps must lie in 1677..2262 (epoch nanoseconds in a 64-bit integer);
 * {@link #deleteBefore(Instant)} scans the table (there is no index on time alone, to keep
 * appends fast) and rebuilds the device table.
 *
 * <p>This class is the facade: it owns the lifecycle and hands each job to a package-private part
 * ({@code SqliteSchema} for the layout and migrations, {@code SqliteWriter} for batched writes,
 * {@code ReaderPool} and {@code SqliteReader} for reads).
 */
public final class SqliteStorage implements StorageBackend {

    /** The file layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 2;
    /** Default number of pooled read connections. */
    public static final int DEFAULT_READERS = 4;
    /** Default time a write waits for another process's lock. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

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

    private final Path file;
    private final String location;
    private final Synchronous synchronous;
    private final SchemaGuard schema;
    private final StorageLifecycle lifecycle;
    private final SqliteWriter writer;
    private final ReaderPool readers;

    private SqliteStorage(Builder b) {
        this.file = b.file;
        this.location = "sqlite:" + b.file;
        this.lifecycle = new StorageLifecycle(location);
        this.synchronous = b.synchronous;
        int busyTimeoutMs = (int) b.busyTimeout.toMillis();
        this.readers = new ReaderPool(file, busyTimeoutMs, b.readers, location);
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
        SqliteSchema.Stored stored;
        try {
            c = SqliteConnections.connect(file, busyTimeoutMs);
            stored = new SqliteSchema(location).initialise(c, synchronous);
        } catch (SQLException e) {
            SqliteConnections.closeQuietly(c);
            throw new StorageException(location + ": " + SqliteConnections.describe(e), e);
        } catch (RuntimeException e) {
            SqliteConnections.closeQuietly(c);
            throw e;
        }
        this.schema = new SchemaGuard(location, stored.schema());
        this.writer = new SqliteWriter(c, location, schema, stored);
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
            nanos[k] = SqliteValues.epochNanos(rows[k].timestamp());
        }
        lifecycle.run(() -> {
            if (s != null) {
                writer.appendAll(rows, nanos, s);
            }
        });
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        long ts = SqliteValues.epochNanos(event.timestamp());
        lifecycle.run(() -> writer.appendEvent(event, ts));
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        long ts = SqliteValues.clampNanos(Objects.requireNonNull(cutoff, "cutoff"));
        return lifecycle.call(() -> writer.deleteBefore(ts, cutoff));
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        long ts = SqliteValues.clampNanos(Objects.requireNonNull(cutoff, "cutoff"));
        return lifecycle.call(() -> writer.deleteEventsBefore(ts, cutoff));
    }

    // ---- reads ----------------------------------------------------------------------------------

    private <T> T read(String what, ReaderPool.ReadAction<T> action) {
        return lifecycle.call(() -> {
            try {
                return readers.read(action);
            } catch (SQLException e) {
                throw new StorageException(location + ": cannot read " + what + ": " + SqliteConnections.describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(location + ": interrupted while waiting for a read connection", e);
            }
        });
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        Checks.latest(deviceId, n);
        return read("latest readings of " + deviceId,
                r -> r.readings(true, deviceId, n, 0, schema.schema(), writer.columns()));
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        long a = SqliteValues.clampNanos(from);
        long b = SqliteValues.clampNanos(to);
        return read("readings of " + deviceId,
                r -> r.readings(false, deviceId, a, b, schema.schema(), writer.columns()));
    }

    @Override
    public List<DeviceInfo> devices() {
        return read("devices", SqliteReader::devices);
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        return read("count of " + deviceId, r -> r.count(deviceId));
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        long a = SqliteValues.clampNanos(from);
        long b = SqliteValues.clampNanos(to);
        return read("events of " + deviceId, r -> r.events(deviceId, a, b));
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /** Waits for running calls, then closes every connection (SQLite checkpoints the WAL). */
    @Override
    public void close() {
        lifecycle.close(() -> {
            readers.closeAll();
            writer.close();
        });
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
