package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Storage hot paths, each beside a raw sqlite-jdbc baseline in the same run:
 * <ul>
 * <li>{@code appendAll}: batches of 1,000 readings (10 devices x 100, 10 channels) into memory,
 *     CSV and SQLite, beside two hand-written sqlite-jdbc baselines into the same table layout
 *     (same primary key, WAL, synchronous=NORMAL), one transaction per batch: {@code raw}, the
 *     plain way (one prepared statement, {@code addBatch} per row, default connection), and
 *     {@code rawMulti}, the best raw code we know and the backend's own technique by hand (rows
 *     sorted by device and time, 64-row {@code INSERT ... VALUES (...),(...)} statements plus a
 *     batched single-row remainder, multi-thread connection, wal_autocheckpoint=10000).
 *     Backend {@code map} is the in-memory baseline: per-device {@code ArrayDeque}s in a
 *     {@code HashMap}, bounded like the memory backend, without its ordering and locking.
 *     Score is readings/s.</li>
 * <li>{@code latest(device, 100)} on a large SQLite store (default 10 million rows, 100 devices;
 *     built once and cached under {@code java.io.tmpdir/iotpm-bench}), beside the same query run by
 *     hand ({@code rawSqliteLatest100}) that only reads the columns into a {@code double[]}.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar StorageBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class StorageBenchmark {

    static final int BATCH = 1_000;
    static final int DEVICES = 10;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final SensorSchema MOTOR = SensorSchema.industrialMotor();

    /** One open store per trial and the next batch (fresh, later timestamps) per invocation. */
    @State(Scope.Thread)
    public static class Append {
        /**
         * The backend under test; {@code raw} is the hand-written sqlite-jdbc baseline, {@code map}
         * the in-memory baseline (a HashMap of ArrayDeques, no bound, no ordering, no locks).
         */
        @Param({"memory", "map", "csv", "sqlite", "raw", "rawMulti"})
        public String backend;

        Path dir;
        StorageBackend store;
        Connection raw;
        PreparedStatement rawInsert;
        PreparedStatement rawInsert64;
        List<SensorReading> batch;
        long next;
        long rawSeq;
        Map<String, ArrayDeque<SensorReading>> map;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Files.createTempDirectory("iotpm-bench-append-");
            switch (backend) {
                case "memory" -> store = StorageBackends.open("memory:");
                case "map" -> map = new HashMap<>();
                case "csv" -> store = StorageBackends.open("csv:" + dir.resolve("csv"));
                case "sqlite" -> store = StorageBackends.open("sqlite:" + dir.resolve("iot.db"));
                case "raw" -> {
                    raw = rawConnection(dir.resolve("raw.db"), false);
                    rawInsert = raw.prepareStatement(RAW_INSERT + RAW_ROW);
                }
                case "rawMulti" -> {
                    raw = rawConnection(dir.resolve("raw.db"), true);
                    rawInsert = raw.prepareStatement(RAW_INSERT + RAW_ROW);
                    rawInsert64 = raw.prepareStatement(RAW_INSERT + String.join(", ", Collections.nCopies(64, RAW_ROW)));
                }
                default -> throw new IllegalArgumentException("unknown backend " + backend);
            }
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            batch = batch(next);
            next += BATCH / DEVICES;
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            if (store != null) {
                store.close();
            }
            if (raw != null) {
                if (rawInsert64 != null) {
                    rawInsert64.close();
                }
                rawInsert.close();
                raw.close();
            }
            deleteTree(dir);
        }
    }

    /** @return 1,000 readings, 10 devices interleaved, seconds {@code next .. next + 99} after {@link #T0} */
    static List<SensorReading> batch(long next) {
        List<SensorReading> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long t = next + i / DEVICES;
            double w = (t % 97) / 97.0;
            batch.add(SensorReading.of("PUMP_" + (i % DEVICES), T0.plusSeconds(t), MOTOR, new double[] {60 + 10 * w,
                    0.5 + w / 10, 0.4, 0.3, 2.5, 1800 + t % 50, 15 + w, 220 - w, 0.95, 45 + w}, 90));
        }
        return batch;
    }

    /** The library: {@code StorageBackend.appendAll} of 1,000 readings. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void appendAll(Append s) throws SQLException {
        if (s.store != null) {
            s.store.appendAll(s.batch);
        } else if (s.map != null) {
            for (SensorReading r : s.batch) {
                ArrayDeque<SensorReading> q = s.map.computeIfAbsent(r.deviceId(), k -> new ArrayDeque<>());
                q.addLast(r);
                if (q.size() > 100_000) {
                    q.pollFirst();   // same bound as the memory backend's default capacity
                }
            }
        } else if (s.rawInsert64 == null) {
            s.rawSeq = rawBatch(s.rawInsert, s.raw, s.batch, s.rawSeq);
        } else {
            s.rawSeq = rawMultiRow(s.rawInsert64, s.rawInsert, s.raw, s.batch, s.rawSeq);
        }
    }

    static final String RAW_INSERT = "INSERT INTO readings(_device, _ts, _seq, _health, \"temperature\","
            + " \"vibration_x\", \"vibration_y\", \"vibration_z\", \"pressure\", \"rpm\", \"current\","
            + " \"voltage\", \"power_factor\", \"noise\") VALUES ";
    static final String RAW_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Second raw baseline: the rows sorted by device then time (sequence numbers in append
     * order), 64 rows per statement, the remainder batched one row per statement.
     */
    static long rawMultiRow(PreparedStatement ps64, PreparedStatement ps1, Connection c, List<SensorReading> batch,
            long seq) throws SQLException {
        int size = batch.size();
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer, String>comparing(i -> batch.get(i).deviceId())
                .thenComparing(i -> batch.get(i).timestamp()));
        int done = 0;
        for (; done + 64 <= size; done += 64) {
            for (int j = 0; j < 64; j++) {
                bindRaw(ps64, j * 14, batch.get(order[done + j]), seq + order[done + j]);
            }
            ps64.executeUpdate();
        }
        for (; done < size; done++) {
            bindRaw(ps1, 0, batch.get(order[done]), seq + order[done]);
            ps1.addBatch();
        }
        ps1.executeBatch();
        c.commit();
        return seq + size;
    }

    private static void bindRaw(PreparedStatement ps, int offset, SensorReading r, long seq) throws SQLException {
        ps.setString(offset + 1, r.deviceId());
        ps.setLong(offset + 2, r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano());
        ps.setLong(offset + 3, seq);
        ps.setDouble(offset + 4, r.healthScore());
        for (int i = 0; i < 10; i++) {
            ps.setDouble(offset + 5 + i, r.value(i));
        }
    }

    /** Raw baseline: the same rows through one prepared statement, one batch, one transaction. */
    static long rawBatch(PreparedStatement ps, Connection c, List<SensorReading> batch, long seq) throws SQLException {
        for (SensorReading r : batch) {
            ps.setString(1, r.deviceId());
            ps.setLong(2, r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano());
            ps.setLong(3, seq++);
            ps.setDouble(4, r.healthScore());
            for (int i = 0; i < 10; i++) {
                ps.setDouble(5 + i, r.value(i));
            }
            ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
        return seq;
    }

    /**
     * A connection to a new file with the SQLite backend's table layout, WAL and synchronous=NORMAL;
     * {@code tuned} adds the backend's other settings (multi-thread mode, wal_autocheckpoint=10000).
     */
    static Connection rawConnection(Path file, boolean tuned) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (tuned) {
            config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        }
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=NORMAL");
            if (tuned) {
                st.execute("PRAGMA wal_autocheckpoint=10000");
            }
            st.execute("CREATE TABLE IF NOT EXISTS readings(_device TEXT NOT NULL, _ts INTEGER NOT NULL,"
                    + " _seq INTEGER NOT NULL, _health REAL,"
                    + " \"temperature\" REAL, \"vibration_x\" REAL, \"vibration_y\" REAL, \"vibration_z\" REAL,"
                    + " \"pressure\" REAL, \"rpm\" REAL, \"current\" REAL, \"voltage\" REAL, \"power_factor\" REAL,"
                    + " \"noise\" REAL, PRIMARY KEY (_device, _ts, _seq)) WITHOUT ROWID");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** A large SQLite store, built once per row count and reused across runs. */
    @State(Scope.Benchmark)
    public static class Large {
        /** Rows in the store (100 devices); 10 million by default. */
        @Param({"10000000"})
        public int rows;

        StorageBackend store;
        Connection raw;
        PreparedStatement rawLatest;
        int device;

        @Setup(Level.Trial)
        public void open() throws Exception {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "iotpm-bench");
            Files.createDirectories(dir);
            // v2: the clustered (WITHOUT ROWID) layout; a v1 file from an older run is not reused.
            Path db = dir.resolve("latest-v2-" + rows + ".db");
            Path done = dir.resolve("latest-v2-" + rows + ".done");
            if (!Files.exists(done)) {
                Files.deleteIfExists(db);
                long t0 = System.nanoTime();
                try (StorageBackend s = StorageBackends.open("sqlite:" + db)) {
                    int perDevice = rows / 100;
                    List<SensorReading> batch = new ArrayList<>(10_000);
                    for (int t = 0; t < perDevice; t++) {
                        for (int d = 0; d < 100; d++) {
                            double w = (t % 97) / 97.0;
                            batch.add(SensorReading.of("PUMP_" + d, T0.plusSeconds(60L * t), MOTOR, new double[] {
                                    60 + 10 * w, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90));
                            if (batch.size() == 10_000) {
                                s.appendAll(batch);
                                batch.clear();
                            }
                        }
                    }
                    s.appendAll(batch);
                }
                Files.createFile(done);
                System.out.printf("%nbuilt %,d-row SQLite store %s in %.0f s (%,d bytes)%n", rows, db,
                        (System.nanoTime() - t0) / 1e9, Files.size(db));
            }
            store = StorageBackends.open("sqlite:" + db);
            raw = DriverManager.getConnection("jdbc:sqlite:" + db);
            rawLatest = raw.prepareStatement("SELECT _ts, _health, \"temperature\", \"vibration_x\", \"vibration_y\","
                    + " \"vibration_z\", \"pressure\", \"rpm\", \"current\", \"voltage\", \"power_factor\", \"noise\""
                    + " FROM readings WHERE _device = ? ORDER BY _ts DESC, _seq DESC LIMIT ?");
        }

        String nextDevice() {
            device = (device + 1) % 100;
            return "PUMP_" + device;
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            rawLatest.close();
            raw.close();
        }
    }

    /** The library: newest 100 readings of a device, as validated {@link SensorReading}s. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<SensorReading> latest100(Large s) {
        return s.store.latest(s.nextDevice(), 100);
    }

    /** Raw baseline: the same query by hand, values copied into a {@code double[]} only. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void rawSqliteLatest100(Large s, Blackhole bh) throws SQLException {
        s.rawLatest.setString(1, s.nextDevice());
        s.rawLatest.setInt(2, 100);
        double[] row = new double[12];
        try (ResultSet rs = s.rawLatest.executeQuery()) {
            while (rs.next()) {
                row[0] = rs.getLong(1);
                for (int i = 1; i < 12; i++) {
                    row[i] = rs.getDouble(i + 1);
                }
                bh.consume(row);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
