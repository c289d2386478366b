package io.iotpm.benchmarks;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code AlertManager.process(reading)} with the default rules over the ten motor channels (range,
 * limit, sensor fault and rolling z-score per channel, health, no data: 42 reading rules), beside a
 * raw loop that only compares each value with its channel's upper normal bound. Readings come from a
 * simulated fleet of 10 motors (one day, failures on), replayed in order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlertBenchmark {

    static final int BATCH = 14_400;

    private SensorReading[] readings;
    private double[] limits;
    private AlertManager manager;

    @Setup(Level.Trial)
    public void setUp() {
        SensorSchema schema = SensorSchema.industrialMotor();
        readings = fleetDay();
        limits = new double[schema.size()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = schema.channel(i).normalMax();
        }
        manager = AlertManager.builder().rules(AlertRules.defaults(schema)).tickInterval(Duration.ZERO).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** Library: every default rule, per-device state, dedup, life cycle (no notifier attached). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void alertManagerProcess() {
        replay(manager, readings);
    }

    /** The first {@value #BATCH} readings of one simulated day of 10 motors with failures, in time order. */
    static SensorReading[] fleetDay() {
        Fleet fleet = Fleet.builder().devices(10).idPrefix("PUMP_").seed(42).failureProbability(0.3)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        return fleet.history(Duration.ofDays(1)).limit(BATCH).toArray(SensorReading[]::new);
    }

    static void replay(AlertManager m, SensorReading[] readings) {
        for (SensorReading r : readings) {
            m.process(r);
        }
    }

    /** Raw baseline: one comparison per channel against a fixed threshold, counting breaches. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawThresholdLoop(Blackhole bh) {
        double[] lim = limits;
        int breaches = 0;
        for (SensorReading r : readings) {
            for (int c = 0; c < lim.length; c++) {
                if (r.value(c) > lim[c]) {
                    breaches++;
                }
            }
        }
        bh.consume(breaches);
    }
}
