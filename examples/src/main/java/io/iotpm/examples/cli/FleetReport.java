package io.iotpm.examples.cli;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.sim.SensorSimulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Simulates a fleet and prints a per-device summary table. */
final class FleetReport {

    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private long readings;

    private static final class Stats {
        double minHealth = 100;
        double lastHealth = Double.NaN;
        double temperatureSum;
        double vibrationMax;
        long n;
        final EnumMap<HealthStatus, Long> statusCounts = new EnumMap<>(HealthStatus.class);
    }

    /** Feeds one reading into the summary. */
    void accept(SensorReading r) {
        Stats s = stats.computeIfAbsent(r.deviceId(), k -> new Stats());
        s.n++;
        s.lastHealth = r.healthScore();
        s.minHealth = Math.min(s.minHealth, r.healthScore());
        s.temperatureSum += r.value("temperature");
        s.vibrationMax = Math.max(s.vibrationMax, r.value("vibration_x"));
        s.statusCounts.merge(r.status(), 1L, Long::sum);
        readings++;
    }

    long readings() {
        return readings;
    }

    /** Simulates {@code fleet} for {@code duration}, passing every reading to {@code sink} too. */
    static FleetReport simulate(Fleet fleet, Duration duration, Consumer<SensorReading> sink) {
        FleetReport report = new FleetReport();
        fleet.history(duration).forEach(r -> {
            report.accept(r);
            sink.accept(r);
        });
        return report;
    }

    void print(Fleet fleet, PrintStream out) {
        Map<String, Map<String, Integer>> failures = new TreeMap<>();
        List<DeviceEvent> events = fleet.events();
        for (DeviceEvent e : events) {
            if (e instanceof FailureEvent f) {
                failures.computeIfAbsent(f.deviceId(), k -> new TreeMap<>()).merge(f.mode(), 1, Integer::sum);
            }
        }
        out.printf("%-12s %9s %8s %8s %9s %10s %8s  %s%n", "device", "readings", "health", "status",
                "min hlth", "mean temp", "max vibX", "failures (mode × count)");
        for (SensorSimulator sim : fleet.simulators()) {
            Stats s = stats.get(sim.deviceId());
            if (s == null) {
                continue;
            }
            Map<String, Integer> f = failures.getOrDefault(sim.deviceId(), Map.of());
            out.printf("%-12s %9d %8.1f %8s %9.1f %8.1f°C %8.2f  %s%n", sim.deviceId(), s.n, s.lastHealth,
                    HealthStatus.fromScore(s.lastHealth), s.minHealth, s.temperatureSum / s.n, s.vibrationMax,
                    f.isEmpty() ? "-" : f.toString().replace("{", "").replace("}", "").replace("=", " × "));
        }
        long failureCount = events.stream().filter(e -> e instanceof FailureEvent).count();
        out.printf("%d readings, %d devices, %d failures, %d repairs%n", readings, stats.size(), failureCount,
                events.size() - failureCount);
    }
}
