package io.iotpm.examples.cli;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertStats;
import io.iotpm.alerts.Notifier;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./iotpm alert}: a simulated fleet, with sensor faults injected on top of the simulator's
 * developing machine faults, goes through the default rules (plus any discovered on the class path);
 * alerts print as they are notified, then a summary. The original's {@code main_demo.py alert}.
 */
@Command(name = "alert", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "alerts on a simulated fleet with faults")
final class AlertCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "10", description = "motors in the simulated fleet")
    private int devices;

    @Option(names = "--days", defaultValue = "3", description = "days to simulate, 1 to 365")
    private int days;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    @Option(names = "--failure-probability", defaultValue = "0.3", description = "chance of a developing fault")
    private double failureProbability;

    @Option(names = "--show", defaultValue = "40", description = "notifications to print")
    private int show;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        if (days < 1 || days > 365) {
            throw new IllegalArgumentException("--days must be in [1, 365], but was " + days);
        }
        Result r = simulate(devices, Duration.ofDays(days), seed, failureProbability, show, out);
        r.printSummary(out);
        return 0;
    }

    /** The demo's short step: a day of a small fleet, a handful of alerts, the summary line. */
    static void demoStep(PrintStream out, long seed) throws InterruptedException {
        Result r = simulate(5, Duration.ofDays(2), seed, 0.5, 8, out);
        out.printf("%d readings -> %d alerts (%s), %d notifications; rules: %d (defaults + discovered)%n", r.readings,
                r.alerts.size(), r.byPriority(), r.notified.get(), r.rules);
    }

    static final class Result {
        long readings;
        int rules;
        double seconds;
        List<Alert> alerts = List.of();
        AlertStats stats;
        final AtomicInteger notified = new AtomicInteger();

        Map<Priority, Integer> byPriority() {
            Map<Priority, Integer> m = new EnumMap<>(Priority.class);
            for (Alert a : alerts) {
                m.merge(a.priority(), 1, Integer::sum);
            }
            return m;
        }

        void printSummary(PrintStream out) {
            out.println();
            out.printf("%d readings simulated and run through %d rules in %.2f s (%.0f readings/s, both together)%n",
                    readings, rules, seconds, readings / seconds);
            out.println("alerts by priority: " + byPriority());
            Map<String, Integer> byType = new TreeMap<>();
            Map<String, Integer> byDevice = new TreeMap<>();
            for (Alert a : alerts) {
                byType.merge(a.type().name(), 1, Integer::sum);
                byDevice.merge(a.deviceId(), 1, Integer::sum);
            }
            out.println("alerts by type:     " + byType);
            Map<String, Integer> byRule = new TreeMap<>();
            for (Alert a : alerts) {
                byRule.merge(a.rule(), 1, Integer::sum);
            }
            out.println("top rules:          " + byRule.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(6)
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            out.println("alerts by device:   " + byDevice);
            long open = alerts.stream().filter(Alert::isOpen).count();
            out.printf("open at the end: %d; resolved: %d; matches folded into open alerts (dedup): %d;"
                    + " notifications held back (cooldown/silence/inhibition): %d%n", open, alerts.size() - open,
                    stats.updated(), stats.suppressed());
        }
    }

    private static Result simulate(int devices, Duration span, long seed, double failureProbability, int show,
                                   PrintStream out) throws InterruptedException {
        SensorSchema schema = SensorSchema.industrialMotor();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed)
                .failureProbability(failureProbability).start(start).build();
        ReplayClock clock = new ReplayClock(start);
        Result result = new Result();
        List<AlertRule> rules = new ArrayList<>(AlertRules.defaults(schema));
        rules.addAll(AlertRules.discovered(schema));
        result.rules = rules.size();
        Notifier printer = n -> {
            Alert a = n.alert();
            if (result.notified.incrementAndGet() <= show) {
                String text = n.event() == AlertNotification.Event.RESOLVED
                        ? a.deviceId() + ": " + a.resolution().name().toLowerCase(Locale.ROOT) + " after " + a.count()
                                + (a.count() == 1 ? " match" : " matches")
                        : a.message();
                out.printf("  %-8s %-9s %s  %-28s %s%n", a.priority(), n.event(),
                        n.at().truncatedTo(ChronoUnit.MINUTES).toString().substring(5, 16).replace('T', ' '),
                        a.rule(), text);
            } else if (result.notified.get() == show + 1) {
                out.println("  ... (more alerts; --show N prints more)");
            }
        };
        Faults faults = new Faults(fleet.deviceIds(), start);
        long t0 = System.nanoTime();
        // The clock follows the data, so cooldowns and the no-data rule run on simulated time.
        try (AlertManager alerts = AlertManager.builder().rules(rules).clock(clock).tickInterval(Duration.ZERO)
                .notifier(printer, 100_000).autoResolveAfter(Duration.ofHours(2)).build()) {
            fleet.history(span).forEach(reading -> {
                SensorReading r = faults.apply(reading);
                clock.set(reading.timestamp());
                if (r == null) {
                    return;
                }
                alerts.process(r);
                result.readings++;
                // Stand-in for a model: every 30 minutes, the simulator's own health as a "prediction".
                if (reading.timestamp().getEpochSecond() % 1800 == 0 && !Double.isNaN(r.healthScore())) {
                    alerts.process(oracle(r));
                }
            });
            result.seconds = (System.nanoTime() - t0) / 1e9;
            result.stats = alerts.stats();
            result.alerts = alerts.history(AlertQuery.all());
        }
        return result;
    }

    /** A "prediction" from the simulator's ground-truth health: not a model, just to drive the risk rules. */
    private static Prediction oracle(SensorReading r) {
        double p = Math.max(0, Math.min(1, 1 - r.healthScore() / 100));
        HealthStatus s = r.status();
        RiskLevel risk = switch (s) {
            case FAILED, CRITICAL -> RiskLevel.CRITICAL;
            case WARNING -> RiskLevel.HIGH;
            default -> p > 0.2 ? RiskLevel.MEDIUM : RiskLevel.LOW;
        };
        return new Prediction(r.deviceId(), r.timestamp(), p, risk, risk.compareTo(RiskLevel.HIGH) >= 0, Double.NaN,
                "oracle");
    }

    /**
     * Sensor faults the simulator does not make: device 2's temperature sensor sticks for an hour,
     * device 3 goes silent for 20 minutes, device 4's vibration sensor spikes once.
     */
    private static final class Faults {
        private final String stuck;
        private final String silent;
        private final String spike;
        private final Instant t0;

        Faults(List<String> ids, Instant t0) {
            this.stuck = ids.size() > 1 ? ids.get(1) : null;
            this.silent = ids.size() > 2 ? ids.get(2) : null;
            this.spike = ids.size() > 3 ? ids.get(3) : null;
            this.t0 = t0;
        }

        SensorReading apply(SensorReading r) {
            long minute = Duration.between(t0, r.timestamp()).toMinutes();
            String id = r.deviceId();
            if (id.equals(silent) && minute >= 600 && minute < 620) {
                return null;
            }
            if (id.equals(stuck) && minute >= 240 && minute < 300) {
                double[] v = r.values();
                v[0] = 64.2;
                return SensorReading.of(id, r.timestamp(), r.schema(), v, r.healthScore());
            }
            if (id.equals(spike) && minute == 900) {
                double[] v = r.values();
                v[1] = 38.0;
                return SensorReading.of(id, r.timestamp(), r.schema(), v, r.healthScore());
            }
            return r;
        }
    }
}
