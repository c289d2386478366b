package io.iotpm.benchmarks;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;

/**
 * Companion to {@link AlertBenchmark} for a shared machine: the same two loops, timed by the
 * thread's CPU time instead of the wall clock, so the result reads "readings per second of one
 * core" even while other processes compete for the cores. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.AlertCpuTime}.
 */
public final class AlertCpuTime {

    private AlertCpuTime() {
    }

    /**
     * @param args optional number of measured rounds (default 20)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(10).idPrefix("PUMP_").seed(42).failureProbability(0.3)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        SensorReading[] readings = fleet.history(Duration.ofDays(1)).limit(14_400).toArray(SensorReading[]::new);
        double[] limits = new double[schema.size()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = schema.channel(i).normalMax();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (AlertManager m = AlertManager.builder().rules(AlertRules.defaults(schema)).tickInterval(Duration.ZERO)
                .build()) {
            long sink = 0;
            for (int warm = 0; warm < 200; warm++) {
                for (SensorReading r : readings) {
                    m.process(r);
                }
                sink += raw(readings, limits);
            }
            double best = 0;
            double bestRaw = 0;
            for (int round = 0; round < rounds; round++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < 10; k++) {
                    for (SensorReading r : readings) {
                        m.process(r);
                    }
                }
                long c1 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < 10; k++) {
                    sink += raw(readings, limits);
                }
                long c2 = mx.getCurrentThreadCpuTime();
                double lib = 10.0 * readings.length / ((c1 - c0) / 1e9);
                double base = 10.0 * readings.length / ((c2 - c1) / 1e9);
                best = Math.max(best, lib);
                bestRaw = Math.max(bestRaw, base);
                System.out.printf("round %2d: AlertManager.process %,12.0f readings/CPU-s   raw threshold loop %,14.0f%n",
                        round, lib, base);
            }
            System.out.printf("best: AlertManager.process %,.0f readings/CPU-s; raw loop %,.0f; ratio %.1fx (sink %d)%n",
                    best, bestRaw, bestRaw / best, sink);
        }
    }

    private static long raw(SensorReading[] readings, double[] lim) {
        long breaches = 0;
        for (SensorReading r : readings) {
            for (int c = 0; c < lim.length; c++) {
                if (r.value(c) > lim[c]) {
                    breaches++;
                }
            }
        }
        return breaches;
    }
}
