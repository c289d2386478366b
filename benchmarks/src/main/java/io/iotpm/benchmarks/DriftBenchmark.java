package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.sim.Fleet;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Input drift per reading (ns): {@link DriftMonitor#onReading} (window of 1,000, ten channels, PSI kept
 * up to date incrementally) beside two raw baselines on the same readings: only finding each channel's
 * bin and counting it (the least any PSI needs), and the naive monitor that keeps the same window and
 * counts but recomputes every channel's PSI from its counts after each reading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DriftBenchmark {

    private static final int BATCH = 10_000;
    private static final int WINDOW = 1_000;

    private List<SensorReading> live;
    private DriftReference reference;
    private DriftMonitor monitor;
    private double[][] edges;
    private int[][] counts;
    private double[][] expected;
    private int[] ring;
    private int head;

    @Setup
    public void setUp() {
        Fleet fleet = Fleet.builder().devices(5).seed(42).start(Instant.parse("2026-01-01T00:00:00Z")).build();
        SensorSchema schema = fleet.simulators().get(0).schema();
        reference = DriftReference.fromReadings(schema, fleet.history(Duration.ofDays(2)).toList());
        live = fleet.history(Duration.ofMinutes(BATCH / 5)).toList().subList(0, BATCH);
        monitor = DriftMonitor.builder(reference).window(WINDOW).build();
        edges = new double[schema.size()][];
        counts = new int[schema.size()][];
        expected = new double[schema.size()][];
        for (int c = 0; c < schema.size(); c++) {
            edges[c] = reference.edges(c);
            counts[c] = new int[edges[c].length + 1];
            // The ring starts as a full window of bin 0, so eviction never takes a count below zero.
            counts[c][0] = WINDOW;
            expected[c] = reference.proportions(c);
            for (int b = 0; b < expected[c].length; b++) {
                expected[c][b] = Math.max(expected[c][b], 1e-4);
            }
        }
        ring = new int[WINDOW * schema.size()];
    }

    /** Library: window, counts and PSI of every channel up to date after each reading. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void monitorOnReading(Blackhole bh) {
        for (SensorReading r : live) {
            monitor.onReading(r);
        }
        bh.consume(monitor.readings());
    }

    /** Raw baseline: binary search of each channel's bin and one count increment, no window, no PSI. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawBinCounting(Blackhole bh) {
        for (SensorReading r : live) {
            for (int c = 0; c < edges.length; c++) {
                counts[c][reference.bin(c, r.value(c))]++;
            }
        }
        bh.consume(counts);
    }

    /** Raw baseline: the same window of bins, with every channel's PSI recomputed from the counts per reading. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawRecomputedPsi(Blackhole bh) {
        int f = edges.length;
        for (SensorReading r : live) {
            int slot = head * f;
            for (int c = 0; c < f; c++) {
                counts[c][ring[slot + c]]--;
                int b = reference.bin(c, r.value(c));
                ring[slot + c] = b;
                counts[c][b]++;
            }
            head = head + 1 == WINDOW ? 0 : head + 1;
            double total = 0;
            for (int c = 0; c < f; c++) {
                double[] e = expected[c];
                int n = 0;
                for (int k : counts[c]) {
                    n += k;
                }
                for (int b = 0; b < e.length; b++) {
                    double a = (counts[c][b] + 0.5) / (n + e.length * 0.5);
                    total += (a - e[b]) * Math.log(a / e[b]);
                }
            }
            bh.consume(total);
        }
    }
}
