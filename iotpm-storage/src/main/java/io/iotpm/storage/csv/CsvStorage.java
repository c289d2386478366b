package io.iotpm.storage.csv;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.Checks;
import io.iotpm.storage.internal.SchemaGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stores readings as CSV files (commons-csv), one file per device and UTC day, with a header
 * row from the schema:
 * <pre>
 * DIR/iotpm-csv.json                    format version and the sensor schema
 * DIR/commit                            the number of the last committed write
 * DIR/events.csv                        seq,device_id,timestamp,kind,detail
 * DIR/devices/PUMP_001/2026-01-01.csv   seq,timestamp,health_score,temperature,...
 * </pre>
 * File names come only from validated device ids ({@link DeviceIds}) and dates.
 *
 * <p><b>Nothing lost, nothing half-written.</b> Files are append-only. Every write (one reading,
 * a batch, an event) gets the next sequence number, which starts each of its rows; the rows are
 * written first, then the number is stored in {@code commit}. On open, rows numbered above the
 * commit (a batch cut short by a crash) and a torn last line are dropped from the file's end and
 * logged, so a batch is visible completely or not at all. Any other unreadable row (a corrupt row
 * in the middle of a file, a value outside its channel's physical range, a wrong header) makes
 * open fail with a {@link StorageException} naming the file and line, and changes nothing.
 *
 * <p><b>One reading per device and timestamp.</b> (device, timestamp) is a reading's identity;
 * writing a stored one replaces it (the last write wins; within a batch, the later reading), so a
 * redelivered batch changes nothing that reads or counts see. The files stay append-only: the new
 * row is appended and readers keep, of rows with equal timestamps, the last in the file (files are
 * in write order). Counts stay right because a reading after its device's newest one cannot be
 * stored (the usual case, checked in memory), and any other is checked against the timestamps of
 * its day file, read from the file when first needed and then kept for the
 * {@value StoredKeys#MAX_FILES} files that needed them most recently. A file whose superseded rows
 * outnumber its readings is rewritten without them after the write (by a rename, like retention),
 * so redeliveries cost at most twice the disk space. Rewriting the file on every duplicate would
 * keep files minimal, but would turn a cheap append into a whole-file rewrite exactly when a
 * client retries under load. Format version 1 stores (equal timestamps were separate readings)
 * are read with this rule and marked version 2 on open.
 *
 * <p>Durability: by default a write that returned survives a crash of this process ({@code kill
 * -9}), as the data sits in the OS page cache; with {@link Builder#fsync(boolean) fsync} each write
 * is also forced to disk, so it survives power failure.
 *
 * <p>Safe for concurrent use: writes take an exclusive lock, reads a shared one. One JVM per
 * directory. Limits: open reads every file (validation and recovery), so it takes time
 * proportional to the data; a read parses whole day files; retention rewrites the cutoff day's
 * files; event details must not contain line breaks.
 *
 * <p>This class is the facade: it owns the lock and the per-device index and hands each job to a
 * package-private part ({@code CsvLayout} and {@code CommitFile}, {@code CsvRecovery},
 * {@code CsvRowCodec}, {@code AppenderCache}, {@code StoredKeys}, {@code CsvReader},
 * {@code CsvRetention}).
 */
public final class CsvStorage implements StorageBackend {

    /** The layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(CsvStorage.class);

    private final CsvLayout layout;
    private final String location;
    private final SchemaGuard schema;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, DeviceIndex> index = new TreeMap<>();   // guarded by lock
    private final AppenderCache appenders;                               // guarded by the write lock
    private final CsvReader reader;
    private final CsvRetention retention;
    private final CommitFile commit;        // guarded by the write lock
    private final StoredKeys storedKeys = new StoredKeys();   // guarded by the write lock
    private String[] header;                // data file header, set with the schema
    private boolean closed;

    private CsvStorage(Path dir, boolean fsync) {
        this.layout = new CsvLayout(dir);
        this.location = layout.location();
        CsvRowCodec codec = new CsvRowCodec(location);
        this.appenders = new AppenderCache(fsync);
        this.reader = new CsvReader(layout, codec);
        this.retention = new CsvRetention(layout, codec, reader, appenders);
        SensorSchema stored;
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(location + " is a file, not a directory");
            }
            Files.createDirectories(dir);
            CsvLayout.Meta meta = layout.readMeta();
            stored = meta.schema();
            long committed = CommitFile.read(layout);
            if (stored != null) {
                header = CsvLayout.header(stored);
            }
            CsvRecovery recovery = new CsvRecovery(layout, codec, committed, header, index);
            if (stored != null) {
                recovery.scanDevices(stored);
            }
            recovery.scanEvents();
            recovery.apply();
            if (meta.version() < FORMAT_VERSION) {
                // Version 1 files are read as version 2 (the last row of a timestamp wins, and
                // recovery counted distinct timestamps); the new version keeps an older iotpm, which
                // would count superseded rows as readings, from opening the store.
                layout.writeMeta(stored);
                LOG.info("{}: migrated from format version {} to {}", location, meta.version(), FORMAT_VERSION);
            }
            Files.createDirectories(layout.devicesDir());
            commit = CommitFile.open(layout, committed, fsync);
        } catch (IOException e) {
            throw new StorageException(location + ": cannot open: " + e, e);
        }
        this.schema = new SchemaGuard(location, stored);
    }

    /**
     * @param dir the store's directory; created if missing
     * @return a builder
     */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** @return the store's directory */
    public Path directory() {
        return layout.dir();
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public void append(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        appendAll(List.of(reading));
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        SensorSchema s = schema.check(readings);
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (s == null) {
                return;
            }
            long seq = commit.committed() + 1;
            // One text block per file, so each file gets one write.
            Map<Path, StringBuilder> texts = new LinkedHashMap<>();
            Map<Path, Written> touched = new LinkedHashMap<>();
            String seqText = Long.toString(seq);
            try {
                for (SensorReading r : readings) {
                    LocalDate d = CsvLayout.day(r.timestamp());
                    Path f = layout.dayFile(r.deviceId(), d);
                    StringBuilder b = texts.computeIfAbsent(f, k -> new StringBuilder(4096));
                    CsvRowCodec.print(b, CsvRowCodec.row(seqText, r));
                    Written w = touched.get(f);
                    if (w == null) {
                        DeviceIndex di = index.get(r.deviceId());
                        w = new Written(r.deviceId(), d, di == null ? null : di.lastSeen, storedKeys.peek(f));
                        touched.put(f, w);
                    }
                    if (w.stored == null && w.storedUpTo != null && !r.timestamp().isAfter(w.storedUpTo)) {
                        // Not after the device's newest reading: it may be stored, so the file's keys are needed.
                        Written loading = w;
                        w.stored = storedKeys.get(f, p -> reader.keys(loading.device, loading.day, s));
                    }
                    w.add(r.timestamp());
                }
            } catch (IOException | StorageException e) {
                throw failure("cannot read the stored timestamps for " + readings.size() + " readings", e);
            }
            boolean adopted = schema.adopt(s);
            try {
                if (adopted) {
                    header = CsvLayout.header(s);
                    layout.writeMeta(s);
                }
                appenders.write(texts, header);
                commit.commit(seq);
            } catch (IOException | RuntimeException e) {
                if (adopted) {
                    schema.forget(s);
                    try {
                        layout.writeMeta(null);
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw failure("cannot store " + readings.size() + " readings", e);
            }
            for (Map.Entry<Path, Written> e : touched.entrySet()) {
                Written w = e.getValue();
                index.computeIfAbsent(w.device, k -> new DeviceIndex()).add(w.day, w.newest, w.fresh.size());
                if (w.stored != null) {
                    w.stored.keys.addAll(w.fresh);
                    w.stored.rows += w.rows;
                }
            }
            for (SensorReading r : readings) {
                DeviceIndex di = index.get(r.deviceId());
                synchronized (di) {
                    di.addToTail(r);
                }
            }
            compact(touched, s);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * What a write adds to one day file: its rows, and the timestamps the file did not hold yet.
     * A reading after the device's newest stored one cannot be stored (the usual case, checked
     * without the file's keys); {@link #stored} is the file's keys when they are kept or were needed.
     */
    private static final class Written {
        final String device;
        final LocalDate day;
        final Instant storedUpTo;           // the device's newest reading before this write, or null
        StoredKeys.Day stored;              // the file's keys, or null while not needed and not kept
        final Set<Instant> fresh = new HashSet<>();
        Instant newest;
        long rows;

        Written(String device, LocalDate day, Instant storedUpTo, StoredKeys.Day stored) {
            this.device = device;
            this.day = day;
            this.storedUpTo = storedUpTo;
            this.stored = stored;
        }

        void add(Instant t) {
            rows++;
            if (stored == null || !stored.keys.contains(t)) {
                fresh.add(t);
            }
            if (newest == null || t.isAfter(newest)) {
                newest = t;
            }
        }
    }

    /**
     * Rewrites the written day files whose superseded rows (replaced readings) outnumber their
     * readings, keeping the last row of each timestamp. A file is replaced by a rename after the
     * write committed, so a crash leaves the old file or the new one, both holding the same
     * readings; a failed rewrite is only logged, as the write itself succeeded.
     */
    private void compact(Map<Path, Written> touched, SensorSchema s) {
        for (Map.Entry<Path, Written> e : touched.entrySet()) {
            Written w = e.getValue();
            if (w.stored == null || !w.stored.worthCompacting()) {
                continue;
            }
            try {
                long kept = retention.compact(w.device, w.day, s, header);
                LOG.debug("{}: compacted {} from {} rows to {}", location, e.getKey(), w.stored.rows, kept);
                w.stored.rows = kept;
            } catch (IOException | RuntimeException ex) {
                LOG.warn("{}: cannot compact {}: {}", location, e.getKey(), ex.toString());
            }
        }
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.detail().indexOf('\n') >= 0 || event.detail().indexOf('\r') >= 0) {
            throw new IllegalArgumentException("CSV storage does not store line breaks in an event's detail, but "
                    + event.kind() + " detail of device '" + event.deviceId() + "' has one");
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            long seq = commit.committed() + 1;
            StringBuilder b = new StringBuilder();
            CsvRowCodec.print(b, seq, event.deviceId(), event.timestamp().toString(), event.kind(), event.detail());
            Map<Path, StringBuilder> texts = Map.of(layout.eventsFile(), b);
            try {
                appenders.write(texts, CsvLayout.EVENT_HEADER);
                commit.commit(seq);
            } catch (IOException | RuntimeException e) {
                throw failure("cannot store event " + event, e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private RuntimeException failure(String what, Exception e) {
        if (e instanceof IllegalArgumentException iae) {
            return iae;
        }
        return new StorageException(location + ": " + what + ": " + e + "; nothing was stored", e);
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        lock.writeLock().lock();
        try {
            ensureOpen();
            storedKeys.clear();
            return retention.deleteBefore(cutoff, index, schema.schema(), header);
        } catch (IOException e) {
            throw new StorageException(location + ": retention before " + cutoff + " failed: " + e
                    + "; it may have deleted part of what it should, and can be run again", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        Checks.latest(deviceId, n);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            SensorSchema s = schema.schema();
            if (di == null || s == null) {
                return List.of();
            }
            return reader.latest(deviceId, di, n, s);
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read latest readings of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            SensorSchema s = schema.schema();
            if (di == null || s == null || !from.isBefore(to)) {
                return List.of();
            }
            return reader.range(deviceId, di, from, to, s);
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read readings of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<DeviceInfo> devices() {
        lock.readLock().lock();
        try {
            ensureOpen();
            List<DeviceInfo> out = new ArrayList<>(index.size());
            index.forEach((id, di) -> out.add(new DeviceInfo(id, di.lastSeen, di.count)));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            return di == null ? 0 : di.count;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        lock.readLock().lock();
        try {
            ensureOpen();
            return reader.events(deviceId, from, to);
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read events of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + location + " is closed");
        }
    }

    /** Waits for running calls, then closes every open file. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appenders.closeAll();
            try {
                commit.close();
            } catch (IOException e) {
                LOG.debug("closing the commit file failed", e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return location;
    }

    /** Builds a {@link CsvStorage}; {@link #build()} opens (and recovers) the directory. */
    public static final class Builder {
        private final Path dir;
        private boolean fsync;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * @param fsync whether every write is forced to disk before it returns (survives power
         *              failure, costs an fsync per file written); default {@code false} (survives a
         *              process crash only)
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Opens the store, creating the directory if missing, dropping a torn last line or an
         * uncommitted tail left by a crash.
         *
         * @return the open store
         * @throws StorageException naming the file and line when a row is corrupt (nothing is
         *                          changed then), or when the directory is not an iotpm CSV store
         */
        public CsvStorage build() {
            return new CsvStorage(dir, fsync);
        }
    }
}
