package io.iotpm.alerts;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One alert rule: when to fire (a {@link Condition} on readings, a test on {@link Prediction}s, or
 * "no data for a period"), optionally when to clear, and what to say. Immutable; built with
 * {@link #named(String)}:
 *
 * <pre>{@code
 * AlertRule overheat = AlertRule.named("overheat")
 *     .when(Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(5)))
 *     .clearWhen(Condition.below("temperature", 80))          // hysteresis
 *     .priority(Priority.HIGH).cooldown(Duration.ofMinutes(15))
 *     .message("{device_id}: temperature {temperature} °C")
 *     .build();
 * }</pre>
 *
 * <p>Without a clear condition an alert stays open until a person resolves it or nothing has
 * matched for the manager's auto-resolve timeout.
 */
public final class AlertRule {

    /** Default cooldown between two notifications of one rule for one device: 15 minutes, as in the original. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(15);
    /** Default priority. */
    public static final Priority DEFAULT_PRIORITY = Priority.MEDIUM;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    enum Trigger { READING, PREDICTION, NO_DATA }

    private final String name;
    private final AlertType type;
    private final Priority priority;
    private final Duration cooldown;
    private final long cooldownMillis;
    private final MessageTemplate template;
    private final Trigger trigger;
    private final Condition when;
    private final Condition clear;
    private final Predicate<Prediction> whenPrediction;
    private final Predicate<Prediction> clearPrediction;
    private final Duration noData;
    private final String channel;
    private final Duration escalateAfter;
    private final Duration renotifyEvery;
    private final boolean clearWhenFalse;

    private AlertRule(Builder b, Trigger trigger, String channel, MessageTemplate template) {
        this.name = b.name;
        this.type = b.type;
        this.priority = b.priority;
        this.cooldown = b.cooldown;
        this.cooldownMillis = b.cooldown.toMillis();
        this.template = template;
        this.trigger = trigger;
        this.when = b.when;
        this.clear = b.clear;
        this.whenPrediction = b.whenPrediction;
        this.clearPrediction = b.clearPrediction;
        this.noData = b.noData;
        this.channel = channel;
        this.escalateAfter = b.escalateAfter;
        this.renotifyEvery = b.renotifyEvery;
        this.clearWhenFalse = b.clearWhenFalse;
    }

    /**
     * Starts a rule.
     *
     * @param name unique within a manager, {@code [A-Za-z0-9_.:-]{1,64}}
     * @return a builder
     * @throws IllegalArgumentException if the name is not valid
     */
    public static Builder named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name must match [A-Za-z0-9_.:-]{1,64}, but was '" + name + "'");
        }
        return new Builder(name);
    }

    /** @return the rule name */
    public String name() {
        return name;
    }

    /** @return the alert type */
    public AlertType type() {
        return type;
    }

    /** @return the priority its alerts start at */
    public Priority priority() {
        return priority;
    }

    /** @return the minimum time between two notifications for one device */
    public Duration cooldown() {
        return cooldown;
    }

    /** @return the message template as written */
    public String message() {
        return template.text();
    }

    /** @return the channel this rule watches, or {@code null} */
    public String channel() {
        return channel;
    }

    /** @return whether it looks at readings, predictions, or the absence of data */
    public String trigger() {
        return trigger.name().toLowerCase(Locale.ROOT);
    }

    /** @return the silence period of a no-data rule, or {@code null} */
    public Duration noDataPeriod() {
        return noData;
    }

    /** @return the escalation delay, or {@code null} when the rule never escalates */
    public Duration escalateAfter() {
        return escalateAfter;
    }

    /** @return the re-notification interval while unacknowledged, or {@code null} */
    public Duration renotifyEvery() {
        return renotifyEvery;
    }

    /** @return a readable description of the fire condition, e.g. {@code (temperature > 85.0) for PT5M} */
    public String condition() {
        return switch (trigger) {
            case READING -> when.toString();
            case PREDICTION -> "prediction test";
            case NO_DATA -> "no data for " + noData;
        };
    }

    /** @return a readable description of the clear condition, or {@code null} when there is none */
    public String clearCondition() {
        if (clear != null) {
            return clear.toString();
        }
        if (clearWhenFalse) {
            return "not (" + when + ")";
        }
        if (clearPrediction != null) {
            return "prediction test";
        }
        return trigger == Trigger.NO_DATA ? "data again" : null;
    }

    @Override
    public String toString() {
        String c = clearCondition();
        return "AlertRule[" + name + ", " + type + ", " + priority + ", when " + condition()
                + (c != null ? ", clear when " + c : "") + "]";
    }

    // ---- what the manager uses ----

    Trigger triggerKind() {
        return trigger;
    }

    long cooldownMillis() {
        return cooldownMillis;
    }

    Condition when() {
        return when;
    }

    boolean clearsWhenFalse() {
        return clearWhenFalse;
    }

    Condition clear() {
        return clear;
    }

    Predicate<Prediction> whenPrediction() {
        return whenPrediction;
    }

    Predicate<Prediction> clearPrediction() {
        return clearPrediction;
    }

    MessageTemplate template() {
        return template;
    }

    /** Builds an {@link AlertRule}; exactly one of the {@code when...}/{@code noDataFor} triggers is required. */
    public static final class Builder {
        private final String name;
        private AlertType type = AlertType.CUSTOM;
        private Priority priority = DEFAULT_PRIORITY;
        private Duration cooldown = DEFAULT_COOLDOWN;
        private String message;
        private Condition when;
        private Condition clear;
        private Predicate<Prediction> whenPrediction;
        private Predicate<Prediction> clearPrediction;
        private Duration noData;
        private String channel;
        private SensorSchema schema = SensorSchema.industrialMotor();
        private Duration escalateAfter;
        private Duration renotifyEvery;
        private boolean clearWhenFalse;

        private Builder(String name) {
            this.name = name;
        }

        /** @param condition a stateless test of one reading, e.g. {@code r -> r.value("temperature") > 85} */
        public Builder when(Predicate<SensorReading> condition) {
            return when(Condition.of(condition));
        }

        /** @param condition fires the rule while it holds (see {@link Condition}) */
        public Builder when(Condition condition) {
            this.when = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** @param condition fires the rule on a prediction, e.g. {@code p -> p.failureProbability() > 0.8} */
        public Builder whenPrediction(Predicate<Prediction> condition) {
            this.whenPrediction = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /**
         * Fires when a device that sent data before has sent none for {@code period} of manager clock
         * time; the device's next reading clears it. Checked on the manager's sweep. Only a reading
         * newer than the device's newest counts as data: a late or repeated one (a broker's
         * redelivery, a replayed buffer) says nothing about the device now.
         *
         * @param period silence that counts as "no data", {@code > 0}
         */
        public Builder noDataFor(Duration period) {
            this.noData = Condition.requirePositive(period, "period");
            return this;
        }

        /**
         * Resolves an open alert when this holds on a reading the fire condition does not match.
         * With a threshold lower than the fire threshold it gives hysteresis.
         *
         * @param condition the clear condition; fed every reading while the alert is open
         */
        public Builder clearWhen(Condition condition) {
            this.clear = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /**
         * Resolves an open alert on the first reading the fire condition does not match. Suits
         * conditions with their own hysteresis (the built-in anomaly and sensor-fault detectors).
         */
        public Builder clearWhenFalse() {
            this.clearWhenFalse = true;
            return this;
        }

        /** @param condition stateless clear test; see {@link #clearWhen(Condition)} */
        public Builder clearWhen(Predicate<SensorReading> condition) {
            return clearWhen(Condition.of(condition));
        }

        /** @param condition resolves an open prediction alert when a prediction satisfies it */
        public Builder clearWhenPrediction(Predicate<Prediction> condition) {
            this.clearPrediction = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** @param type the alert type; default {@link AlertType#CUSTOM} */
        public Builder type(AlertType type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** @param priority the starting priority; default {@link #DEFAULT_PRIORITY} */
        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** @param cooldown minimum time between notifications per device, {@code >= 0}; default {@link #DEFAULT_COOLDOWN} */
        public Builder cooldown(Duration cooldown) {
            Objects.requireNonNull(cooldown, "cooldown");
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("cooldown must be >= 0, but was " + cooldown);
            }
            this.cooldown = cooldown;
            return this;
        }

        /**
         * @param template message with placeholders {@code {device_id}}, {@code {rule}}, {@code {type}},
         *                 {@code {priority}}, {@code {channel}}, {@code {value}}, {@code {count}},
         *                 {@code {timestamp}}; for reading rules {@code {health_score}} and every channel
         *                 of the schema ({@code {temperature}}); for prediction rules
         *                 {@code {failure_probability}}, {@code {risk_level}}, {@code {rul}},
         *                 {@code {model_version}}, {@code {maintenance_needed}}. {@code {{} and {@code }}}
         *                 are literal braces. Default {@code "{rule} on {device_id}"} (plus the channel value
         *                 when the rule watches one). Checked by {@link #build()}.
         */
        public Builder message(String template) {
            this.message = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * @param channel the channel shown as {@code {channel}} and {@code {value}}; default the
         *                condition's channel when it watches exactly one
         */
        public Builder channel(String channel) {
            Condition.requireChannelName(channel);
            this.channel = channel;
            return this;
        }

        /** @param schema the schema whose channel names the template may use; default the industrial motor */
        public Builder schema(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * Raises the priority one step (up to CRITICAL) each time an alert stays ACTIVE, unacknowledged,
         * this long, and notifies again regardless of cooldown.
         *
         * @param delay {@code > 0}; default never
         */
        public Builder escalateAfter(Duration delay) {
            this.escalateAfter = Condition.requirePositive(delay, "escalateAfter");
            return this;
        }

        /** @param interval re-notifies an ACTIVE, unacknowledged alert this often, {@code >= cooldown}; default never */
        public Builder renotifyEvery(Duration interval) {
            this.renotifyEvery = Condition.requirePositive(interval, "renotifyEvery");
            return this;
        }

        /**
         * @return the rule
         * @throws IllegalArgumentException if there is no trigger or more than one, a clear condition does
         *                                  not fit the trigger, the template has an unknown placeholder, or
         *                                  the re-notify interval is shorter than the cooldown
         */
        public AlertRule build() {
            int triggers = (when != null ? 1 : 0) + (whenPrediction != null ? 1 : 0) + (noData != null ? 1 : 0);
            if (triggers != 1) {
                throw new IllegalArgumentException("rule '" + name + "' needs exactly one of when(...),"
                        + " whenPrediction(...), noDataFor(...), but has " + triggers);
            }
            Trigger t = when != null ? Trigger.READING : whenPrediction != null ? Trigger.PREDICTION : Trigger.NO_DATA;
            if ((clear != null || clearWhenFalse) && t != Trigger.READING) {
                throw new IllegalArgumentException("rule '" + name + "': clearWhen(...) needs a reading trigger when(...)");
            }
            if (clearPrediction != null && t != Trigger.PREDICTION) {
                throw new IllegalArgumentException("rule '" + name
                        + "': clearWhenPrediction(...) needs a prediction trigger whenPrediction(...)");
            }
            if (renotifyEvery != null && renotifyEvery.compareTo(cooldown) < 0) {
                throw new IllegalArgumentException("rule '" + name + "': renotifyEvery must be >= cooldown " + cooldown
                        + ", but was " + renotifyEvery);
            }
            String ch = channel != null ? channel : t == Trigger.READING ? when.channel() : null;
            String text = message != null ? message
                    : ch != null ? "{rule} on {device_id}: {channel} = {value}" : "{rule} on {device_id}";
            MessageTemplate.Source source = switch (t) {
                case READING -> MessageTemplate.Source.READING;
                case PREDICTION -> MessageTemplate.Source.PREDICTION;
                case NO_DATA -> MessageTemplate.Source.NO_DATA;
            };
            MessageTemplate template;
            try {
                template = MessageTemplate.parse(text, source, schema, ch);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule '" + name + "': " + e.getMessage(), e);
            }
            return new AlertRule(this, t, ch, template);
        }
    }
}
