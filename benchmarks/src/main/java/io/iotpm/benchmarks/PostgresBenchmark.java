package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.storage.postgres.PostgresStorage;
import io.iotpm.test.server.PostgresServer;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL backend beside hand-written pgjdbc baselines in the same run, on a server this
 * benchmark starts itself ({@link PostgresServer}: Debian's binaries, fsync off, on this machine):
 * <ul>
 * <li>{@code appendAll} of 1,000-reading batches (10 devices x 100, fresh timestamps each time),
 *     {@code backend=iotpm} through {@link PostgresStorage}, {@code backend=rawCopy} a plain
 *     {@code COPY} straight into a table of the same layout (same daily partitions, same primary
 *     key, partitions made beforehand), which cannot deduplicate or keep device counts. Score is
 *     readings/s.</li>
 * <li>{@code latest(device, 100)} on {@code rows} readings (default 10 million, 100 devices, 10 s
 *     apart, about 12 daily partitions, made once per trial by a server-side
 *     {@code generate_series}), beside the same query by hand over one plain connection
 *     ({@code rawLatest100}) that only reads the columns into a {@code double[]}.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PostgresBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PostgresBenchmark {

    private static final String COLUMNS = "device, ts, health, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9";

    /** A server per trial, with one database per store. */
    @State(Scope.Benchmark)
    public static class Server {
        PostgresServer pg;
        int databases;

        @Setup(Level.Trial)
        public void start() {
            pg = PostgresServer.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            pg.close();
        }

        String newDatabase(String prefix) {
            return pg.createDatabase(prefix + "_" + databases++);
        }

        PostgresStorage store(String db) {
            return PostgresStorage.builder("127.0.0.1", pg.port(), db).user(pg.user()).password(pg.password()).build();
        }

        Connection connect(String db) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", pg.user());
            p.setProperty("password", pg.password());
            return DriverManager.getConnection(pg.jdbcUrl(db), p);
        }
    }

    /** One store (or raw connection) per trial and the next batch per invocation. */
    @State(Scope.Thread)
    public static class Append {
        /** {@code iotpm}: the backend; {@code rawCopy}: plain COPY into the same layout. */
        @Param({"iotpm", "rawCopy"})
        public String backend;

        PostgresStorage store;
        Connection raw;
        CopyManager copy;
        List<SensorReading> batch;
        long next;

        @Setup(Level.Trial)
        public void open(Server server) throws SQLException {
            store = server.store(server.newDatabase("append"));
            store.appendAll(StorageBenchmark.batch(0));   // fixes the layout
            next = StorageBenchmark.BATCH / StorageBenchmark.DEVICES;
            if (backend.equals("rawCopy")) {
                raw = server.connect(server.newDatabase("raw"));
                try (Statement st = raw.createStatement()) {
                    st.execute("CREATE TABLE readings (device text NOT NULL, ts bigint NOT NULL, health float8,"
                            + " c0 float8, c1 float8, c2 float8, c3 float8, c4 float8, c5 float8, c6 float8, c7 float8,"
                            + " c8 float8, c9 float8, PRIMARY KEY (device, ts)) PARTITION BY RANGE (ts)");
                    long day = 86_400_000_000_000L;
                    long first = StorageBenchmark.T0.getEpochSecond() * 1_000_000_000L;
                    for (int d = 0; d < 365; d++) {
                        st.execute("CREATE TABLE readings_" + d + " PARTITION OF readings FOR VALUES FROM ("
                                + (first + d * day) + ") TO (" + (first + (d + 1) * day) + ")");
                    }
                }
                raw.setAutoCommit(false);
                copy = raw.unwrap(PGConnection.class).getCopyAPI();
            }
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            batch = StorageBenchmark.batch(next);
            next += StorageBenchmark.BATCH / StorageBenchmark.DEVICES;
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            if (raw != null) {
                raw.close();
            }
        }
    }

    /** The library: {@code PostgresStorage.appendAll} of 1,000 readings, or the raw COPY. */
    @Benchmark
    @OperationsPerInvocation(StorageBenchmark.BATCH)
    public void appendAll(Append s) throws SQLException, IOException {
        if (s.raw == null) {
            s.store.appendAll(s.batch);
            return;
        }
        StringBuilder sb = new StringBuilder(s.batch.size() * 160);
        double[] v = new double[StorageBenchmark.MOTOR.size()];
        for (SensorReading r : s.batch) {
            sb.append(r.deviceId()).append('\t')
                    .append(r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano())
                    .append('\t').append(r.healthScore());
            r.copyValuesTo(v, 0);
            for (double x : v) {
                sb.append('\t').append(x);
            }
            sb.append('\n');
        }
        s.copy.copyIn("COPY readings (" + COLUMNS + ") FROM STDIN",
                new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)));
        s.raw.commit();
    }

    /** A store of {@code rows} readings for {@code latest}. */
    @State(Scope.Benchmark)
    public static class Large {
        /** Readings in the store. */
        @Param({"10000000"})
        public long rows;

        PostgresStorage store;
        Connection raw;
        PreparedStatement rawLatest;
        int device;

        @Setup(Level.Trial)
        public void build(Server server) throws SQLException {
            String db = server.newDatabase("large");
            store = server.store(db);
            long seconds = rows / 100 * 10;
            // One reading a day fixes the layout and creates every partition the bulk insert needs.
            List<SensorReading> days = new ArrayList<>();
            for (long s = 0; s <= seconds + 86_400; s += 86_400) {
                days.add(StorageBenchmark.batch(s).get(0));   // batch(n) starts n seconds after T0
            }
            store.appendAll(days);
            raw = server.connect(db);
            try (Statement st = raw.createStatement()) {
                st.execute("INSERT INTO readings (" + COLUMNS + ") SELECT 'PUMP_' || (g % 100),"
                        + StorageBenchmark.T0.getEpochSecond() * 1_000_000_000L + " + (g / 100) * 10000000000,"
                        + " 90, 60 + g % 10, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45"
                        + " FROM generate_series(0, " + (rows - 1) + ") g ON CONFLICT DO NOTHING");
                st.execute("INSERT INTO devices SELECT device, max(ts), count(*) FROM readings GROUP BY device"
                        + " ON CONFLICT (device) DO UPDATE SET last_seen = excluded.last_seen,"
                        + " reading_count = excluded.reading_count");
                st.execute("VACUUM ANALYZE readings");
            }
            rawLatest = raw.prepareStatement("SELECT ts, health, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 FROM readings"
                    + " WHERE device = ? ORDER BY ts DESC LIMIT 100");
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

    /** The library: {@code latest(device, 100)}. */
    @Benchmark
    public void latest100(Large s, Blackhole bh) {
        bh.consume(s.store.latest(s.nextDevice(), 100));
    }

    /** Baseline: the same query by hand, columns into a {@code double[]}. */
    @Benchmark
    public void rawLatest100(Large s, Blackhole bh) throws SQLException {
        s.rawLatest.setString(1, s.nextDevice());
        try (ResultSet rs = s.rawLatest.executeQuery()) {
            while (rs.next()) {
                double[] v = new double[11];
                long ts = rs.getLong(1);
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getDouble(i + 2);
                }
                bh.consume(ts);
                bh.consume(v);
            }
        }
    }
}
