package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.SensorSimulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Simulator throughput (readings/s) beside a raw baseline that only draws the same number of
 * Gaussian doubles per reading as there are channels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SimulatorBenchmark {

    private static final int BATCH = 10_000;

    private SensorSimulator sim;
    private SplittableRandom rnd;

    @Setup
    public void setUp() {
        sim = SensorSimulator.builder().deviceId("PUMP_001").seed(42)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        rnd = new SplittableRandom(42);
    }

    /** Library: one validated, immutable reading with motor physics and the fault life cycle. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void simulatorNext(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            SensorReading r = sim.next();
            bh.consume(r);
        }
    }

    /** Raw baseline: ten Gaussian draws into a fresh array per reading. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawGaussians(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            double[] v = new double[10];
            for (int c = 0; c < 10; c++) {
                v[c] = rnd.nextGaussian();
            }
            bh.consume(v);
        }
    }
}
