package io.iotpm.benchmarks;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.StoredAlert;
import io.iotpm.alerts.jdbc.JdbcAlertStore;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What durable alerts cost. {@code process}: {@code AlertManager.process(reading)} with the default
 * rules over a simulated day of 10 motors with failures (as {@link AlertBenchmark}), the manager's
 * alerts kept in memory or in an SQLite file (raises written at once, counters by the 1 s sweep).
 * {@code saveAlert}: one alert's upsert into the store, one commit each, beside {@code rawSqliteUpsert},
 * the same row written with a hand-written sqlite-jdbc {@code INSERT ... ON CONFLICT} in the same
 * WAL / {@code synchronous=NORMAL} file settings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlertStoreBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Param({"memory", "sqlite"})
    public String store;

    private Path dir;
    private AlertStore alertStore;
    private AlertManager manager;
    private SensorReading[] readings;
    private Connection raw;
    private PreparedStatement rawUpsert;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("iotpm-alertstore-bench");
        alertStore = store.equals("memory") ? AlertStore.inMemory() : JdbcAlertStore.sqlite(dir.resolve("alerts.db"));
        SensorSchema schema = SensorSchema.industrialMotor();
        readings = AlertBenchmark.fleetDay();
        manager = AlertManager.builder().rules(AlertRules.defaults(schema)).store(alertStore)
                .tickInterval(Duration.ZERO).build();
        raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"));
        try (Statement s = raw.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE a (id BIGINT PRIMARY KEY, rule TEXT, state TEXT, device_id TEXT, message TEXT,"
                    + " match_count BIGINT, last_value DOUBLE PRECISION, last_seen BIGINT, acknowledged_by TEXT)");
        }
        rawUpsert = raw.prepareStatement("INSERT INTO a VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                + " match_count = excluded.match_count, last_value = excluded.last_value, last_seen = excluded.last_seen");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        manager.close();
        alertStore.close();
        raw.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Ingest with the default rules; alerts durable in the chosen store. */
    @Benchmark
    @OperationsPerInvocation(AlertBenchmark.BATCH)
    public void process() {
        AlertBenchmark.replay(manager, readings);
    }

    /** One alert's upsert through the store (a new match count each time), one transaction. */
    @Benchmark
    public void saveAlert() {
        long count = ++n;
        Instant now = T0.plusMillis(count);
        alertStore.save(new StoredAlert(new Alert(1, "limit.temperature", AlertType.OUT_OF_RANGE, Priority.CRITICAL,
                "PUMP_001", "temperature", "PUMP_001: temperature = 110 °C beyond critical limits", AlertState.ACTIVE,
                T0, now, count, 110.0, null, null, null, null, null, 0, 1, null), T0, T0));
    }

    /** Raw baseline: the same upsert by hand, autocommit. */
    @Benchmark
    public void rawSqliteUpsert() throws SQLException {
        long count = ++n;
        rawUpsert.setLong(1, 1);
        rawUpsert.setString(2, "limit.temperature");
        rawUpsert.setString(3, "ACTIVE");
        rawUpsert.setString(4, "PUMP_001");
        rawUpsert.setString(5, "PUMP_001: temperature = 110 °C beyond critical limits");
        rawUpsert.setLong(6, count);
        rawUpsert.setDouble(7, 110.0);
        rawUpsert.setLong(8, count);
        rawUpsert.setNull(9, java.sql.Types.VARCHAR);
        rawUpsert.executeUpdate();
    }
}
