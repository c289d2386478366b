package io.iotpm.alerts.rules;

import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.core.Channel;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Built-in rules derived from a {@link SensorSchema}, and rules discovered through
 * {@link AlertRuleProvider}s.
 *
 * <p>{@link #defaults(SensorSchema)} gives, per channel {@code c}:
 * <ul>
 * <li>{@code out_of_range.c} (MEDIUM, OUT_OF_RANGE): outside the channel's normal range for 3 minutes;
 *     clears after 3 minutes back inside it by a margin of 5% of the range (hysteresis).</li>
 * <li>{@code limit.c} (CRITICAL, OUT_OF_RANGE): beyond the normal range by half its width (clipped to
 *     the physical range), e.g. temperature above 105 °C; omitted when that band covers the whole
 *     physical range. Values outside the physical range never get here: {@code SensorReading}
 *     rejects them at ingestion.</li>
 * <li>{@code sensor_fault.c} (HIGH, SENSOR_FAULT): a missing value (NaN), a flat line of identical
 *     values, or a jump of more than half the physical range between two readings.</li>
 * <li>{@code anomaly.c} (MEDIUM, ANOMALY): |z| &gt; 4 on two consecutive readings against the
 *     device's rolling baseline (exponentially weighted over 60 readings), until |z| &lt; 2.</li>
 * </ul>
 * and for the device: {@code health_degradation} (MEDIUM, health score below 70 until 75),
 * {@code health_critical} (CRITICAL, below 40 until 45), {@code no_data} (HIGH, nothing for 5 minutes),
 * {@code failure_risk} (HIGH, a prediction of HIGH or CRITICAL risk, until LOW/MEDIUM) and
 * {@code failure_risk_critical} (CRITICAL risk). {@link #defaultsBuilder(SensorSchema)} tunes them.
 *
 * <p>Late and repeated readings (no newer than the device's newest) reach none of these rules (see
 * {@code AlertManager.process(SensorReading)}): the 3-minute durations run on in-order readings
 * only, a redelivered reading is not a second "identical value" for the flat-line test nor a zero
 * jump, the rolling baseline is fed each timestamp once, and {@code no_data} is cleared only by a
 * reading newer than the device's newest.
 */
public final class AlertRules {

    private AlertRules() {
    }

    /**
     * @param schema the channels
     * @return the default rule set, see the class documentation
     */
    public static List<AlertRule> defaults(SensorSchema schema) {
        return defaultsBuilder(schema).build();
    }

    /**
     * @param schema the channels
     * @param config supplies the cooldown ({@code ALERT_COOLDOWN})
     * @return the default rule set with the configured cooldown
     */
    public static List<AlertRule> defaults(SensorSchema schema, IotpmConfig config) {
        return defaultsBuilder(schema).cooldown(config.get(IotpmConfig.ALERT_COOLDOWN)).build();
    }

    /**
     * @param schema the channels
     * @return a builder to tune the default rule set
     */
    public static Defaults defaultsBuilder(SensorSchema schema) {
        return new Defaults(schema);
    }

    /**
     * Rules from every {@link AlertRuleProvider} visible to the thread's context class loader.
     *
     * @param schema passed to each provider
     * @return their rules, ordered by provider name
     * @throws IllegalArgumentException if two providers contribute a rule of the same name
     */
    public static List<AlertRule> discovered(SensorSchema schema) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return discovered(schema, cl != null ? cl : AlertRules.class.getClassLoader());
    }

    /**
     * @param schema passed to each provider
     * @param loader where to look for providers
     * @return their rules, ordered by provider name (a deterministic order whatever the class path)
     * @throws IllegalArgumentException if two providers contribute a rule of the same name
     */
    public static List<AlertRule> discovered(SensorSchema schema, ClassLoader loader) {
        Objects.requireNonNull(schema, "schema");
        List<AlertRuleProvider> providers = new ArrayList<>();
        ServiceLoader.load(AlertRuleProvider.class, loader).forEach(providers::add);
        providers.sort(Comparator.comparing(AlertRuleProvider::name));
        List<AlertRule> out = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        for (AlertRuleProvider p : providers) {
            for (AlertRule r : p.rules(schema)) {
                String prev = owner.putIfAbsent(r.name(), p.name());
                if (prev != null) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' is contributed by both provider '"
                            + prev + "' and provider '" + p.name() + "'");
                }
                out.add(r);
            }
        }
        return out;
    }

    /** @return names of the discovered providers, sorted */
    public static List<String> providerNames(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(AlertRuleProvider.class, loader).forEach(p -> names.add(p.name()));
        names.sort(null);
        return names;
    }

    /** Tunes {@link AlertRules#defaults(SensorSchema)}; every setting has the documented default. */
    public static final class Defaults {
        private final SensorSchema schema;
        private Duration cooldown = AlertRule.DEFAULT_COOLDOWN;
        private Duration noDataAfter = Duration.ofMinutes(5);
        private int baselineReadings = 60;
        private double zEnter = 4;
        private double zExit = 2;
        private int zConfirm = 2;
        private int stuckReadings = 30;
        private boolean anomaly = true;
        private Duration rangePersistence = Duration.ofMinutes(3);

        private Defaults(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** @param cooldown of every rule; default {@link AlertRule#DEFAULT_COOLDOWN} */
        public Defaults cooldown(Duration cooldown) {
            this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
            return this;
        }

        /** @param period silence before {@code no_data} fires, {@code > 0}; default 5 minutes */
        public Defaults noDataAfter(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("noDataAfter must be > 0, but was " + period);
            }
            this.noDataAfter = period;
            return this;
        }

        /** @param readings span of the rolling baseline and its warm-up, 2 to 100,000; default 60 */
        public Defaults baselineReadings(int readings) {
            if (readings < 2 || readings > 100_000) {
                throw new IllegalArgumentException("baselineReadings must be in [2, 100000], but was " + readings);
            }
            this.baselineReadings = readings;
            return this;
        }

        /** @param enter |z| that starts an anomaly @param exit |z| that ends it; {@code 0 < exit <= enter}; default 4 / 2 */
        public Defaults zScore(double enter, double exit) {
            if (!(exit > 0 && exit <= enter && Double.isFinite(enter))) {
                throw new IllegalArgumentException("zScore needs 0 < exit <= enter, but was enter " + enter + ", exit " + exit);
            }
            this.zEnter = enter;
            this.zExit = exit;
            return this;
        }

        /** @param readings consecutive readings above the enter z-score that start an anomaly, 1 to 1000; default 2 */
        public Defaults anomalyConfirmation(int readings) {
            if (readings < 1 || readings > 1000) {
                throw new IllegalArgumentException("anomalyConfirmation must be in [1, 1000], but was " + readings);
            }
            this.zConfirm = readings;
            return this;
        }

        /** @param readings identical consecutive values that count as a stuck sensor, {@code >= 2}; default 30 */
        public Defaults stuckReadings(int readings) {
            if (readings < 2) {
                throw new IllegalArgumentException("stuckReadings must be >= 2, but was " + readings);
            }
            this.stuckReadings = readings;
            return this;
        }

        /**
         * @param persistence how long a channel must stay outside its normal range before
         *                    {@code out_of_range.*} fires, and back inside before it clears; {@code ZERO}
         *                    reacts to single readings; default 3 minutes (a value hovering at the edge
         *                    otherwise flaps)
         */
        public Defaults rangePersistence(Duration persistence) {
            Objects.requireNonNull(persistence, "persistence");
            if (persistence.isNegative()) {
                throw new IllegalArgumentException("rangePersistence must be >= 0, but was " + persistence);
            }
            this.rangePersistence = persistence;
            return this;
        }

        /** Leaves out the {@code anomaly.*} rules. */
        public Defaults withoutAnomaly() {
            this.anomaly = false;
            return this;
        }

        /** @return the rules, per channel in schema order, then the device rules */
        public List<AlertRule> build() {
            List<AlertRule> rules = new ArrayList<>();
            for (Channel c : schema.channels()) {
                rules.add(outOfRange(c));
                AlertRule limit = limit(c);
                if (limit != null) {
                    rules.add(limit);
                }
                rules.add(sensorFault(c));
                if (anomaly) {
                    rules.add(anomaly(c));
                }
            }
            rules.add(health("health_degradation", HealthStatus.WARNING_BELOW, Priority.MEDIUM));
            rules.add(health("health_critical", HealthStatus.CRITICAL_BELOW, Priority.CRITICAL));
            rules.add(AlertRule.named("no_data").noDataFor(noDataAfter).type(AlertType.NO_DATA).priority(Priority.HIGH)
                    .cooldown(cooldown).message("{device_id}: no data for {value} s").build());
            rules.add(AlertRule.named("failure_risk")
                    .whenPrediction(p -> p.riskLevel().compareTo(RiskLevel.HIGH) >= 0)
                    .clearWhenPrediction(p -> p.riskLevel().compareTo(RiskLevel.MEDIUM) <= 0)
                    .type(AlertType.FAILURE_RISK).priority(Priority.HIGH).cooldown(cooldown)
                    .message("{device_id}: failure risk {risk_level} (probability {failure_probability},"
                            + " model {model_version})").build());
            rules.add(AlertRule.named("failure_risk_critical")
                    .whenPrediction(p -> p.riskLevel() == RiskLevel.CRITICAL)
                    .clearWhenPrediction(p -> p.riskLevel() != RiskLevel.CRITICAL)
                    .type(AlertType.FAILURE_RISK).priority(Priority.CRITICAL).cooldown(cooldown)
                    .message("{device_id}: failure imminent, probability {failure_probability}, RUL {rul}").build());
            return List.copyOf(rules);
        }

        private AlertRule outOfRange(Channel c) {
            double margin = 0.05 * (c.normalMax() - c.normalMin());
            Condition out = Condition.outside(c.name(), c.normalMin(), c.normalMax());
            Condition in = Condition.inside(c.name(), c.normalMin() + margin, c.normalMax() - margin);
            if (!rangePersistence.isZero()) {
                out = out.sustainedFor(rangePersistence);
                in = in.sustainedFor(rangePersistence);
            }
            return AlertRule.named("out_of_range." + c.name())
                    .when(out)
                    .clearWhen(in)
                    .type(AlertType.OUT_OF_RANGE).priority(Priority.MEDIUM).cooldown(cooldown).schema(schema)
                    .message("{device_id}: {channel} = {value}" + unit(c) + " outside normal range ["
                            + num(c.normalMin()) + ", " + num(c.normalMax()) + "]")
                    .build();
        }

        private AlertRule limit(Channel c) {
            double half = (c.normalMax() - c.normalMin()) / 2;
            double lo = Math.max(c.normalMin() - half, c.physicalMin());
            double hi = Math.min(c.normalMax() + half, c.physicalMax());
            if (lo <= c.physicalMin() && hi >= c.physicalMax()) {
                return null;
            }
            return AlertRule.named("limit." + c.name())
                    .when(Condition.outside(c.name(), lo, hi))
                    .clearWhen(Condition.inside(c.name(), c.normalMin(), c.normalMax()))
                    .type(AlertType.OUT_OF_RANGE).priority(Priority.CRITICAL).cooldown(cooldown).schema(schema)
                    .message("{device_id}: {channel} = {value}" + unit(c) + " beyond critical limits ["
                            + num(lo) + ", " + num(hi) + "]")
                    .build();
        }

        private AlertRule sensorFault(Channel c) {
            double maxJump = 0.5 * (c.physicalMax() - c.physicalMin());
            int stuck = stuckReadings;
            String name = c.name();
            return AlertRule.named("sensor_fault." + name)
                    .when(Condition.stateful(name, "sensor fault on " + name,
                            () -> new Detectors.SensorFault(name, stuck, maxJump)))
                    .clearWhenFalse()
                    .type(AlertType.SENSOR_FAULT).priority(Priority.HIGH).cooldown(cooldown).schema(schema)
                    .message("{device_id}: sensor fault on {channel} (value {value}; missing, flat for " + stuck
                            + " readings, or a jump over " + num(maxJump) + unit(c) + ")")
                    .build();
        }

        private AlertRule anomaly(Channel c) {
            String name = c.name();
            // A floor on the baseline's spread, so a very quiet channel does not turn noise into z = 50.
            double minStd = 0.01 * (c.normalMax() - c.normalMin());
            int window = baselineReadings;
            double enter = zEnter;
            double exit = zExit;
            int confirm = zConfirm;
            return AlertRule.named("anomaly." + name)
                    .when(Condition.stateful(name, "|z(" + name + ")| > " + enter,
                            () -> new Detectors.ZScore(name, window, enter, exit, minStd, confirm)))
                    .clearWhenFalse()
                    .type(AlertType.ANOMALY).priority(Priority.MEDIUM).cooldown(cooldown).schema(schema)
                    .message("{device_id}: {channel} anomaly, z = {value} against its rolling baseline"
                            + " (now {" + name + "}" + unit(c) + ")")
                    .build();
        }

        private AlertRule health(String ruleName, double below, Priority priority) {
            double exit = below + 5;
            return AlertRule.named(ruleName)
                    .when(Condition.stateful(null, "health < " + below, () -> new Detectors.Health(below, exit)))
                    .clearWhenFalse()
                    .type(AlertType.HEALTH).priority(priority).cooldown(cooldown).schema(schema)
                    .message("{device_id}: health score {health_score} below " + num(below))
                    .build();
        }

        private static String unit(Channel c) {
            String u = c.unit().replace("{", "{{").replace("}", "}}");
            return u.isEmpty() ? "" : " " + u;
        }

        private static String num(double v) {
            return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }
    }
}
