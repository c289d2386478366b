package io.iotpm.alerts;

import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.util.Objects;

/**
 * A threshold rule as plain values: fires while a channel is above (or below) a limit. Unlike an
 * {@link AlertRule}, whose conditions may be any code, it can be stored, so rules added at run time
 * (the API's {@code POST /api/rules}) survive a restart through
 * {@link AlertManager#addRule(ThresholdRule)} and an {@link io.iotpm.alerts.store.AlertStore}.
 *
 * @param name     rule name, {@code [A-Za-z0-9_.:-]{1,64}}
 * @param channel  the watched channel
 * @param above    {@code true}: fires while the value is above {@code limit}; {@code false}: below
 * @param limit    the threshold, finite
 * @param priority the alerts' priority
 * @param cooldown minimum time between two notifications per device, {@code >= 0}
 * @param message  the message template, or {@code null} for
 *                 {@code "{device_id}: CHANNEL {value} above|below LIMIT"}
 */
public record ThresholdRule(String name, String channel, boolean above, double limit, Priority priority,
                            Duration cooldown, String message) {

    /** @throws IllegalArgumentException on a bad name, channel, limit or cooldown, naming the value */
    public ThresholdRule {
        AlertRule.named(name);
        Condition.requireChannelName(channel);
        if (!Double.isFinite(limit)) {
            throw new IllegalArgumentException("limit must be finite, but was " + limit);
        }
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(cooldown, "cooldown");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must be >= 0, but was " + cooldown);
        }
    }

    /** @return the message template used: {@link #message()} or the default */
    public String template() {
        return message != null ? message
                : "{device_id}: " + channel + " {value} " + (above ? "above " : "below ") + limit;
    }

    /**
     * Builds the rule. Its condition tracks the channel's value, so alerts carry it as
     * {@link Alert#lastValue()} and in {@code {value}}.
     *
     * @param schema the schema whose channels the template may name
     * @return a {@link AlertType#THRESHOLD} rule
     * @throws IllegalArgumentException if the schema has no such channel or the template is invalid
     */
    public AlertRule toRule(SensorSchema schema) {
        if (!schema.has(channel)) {
            throw new IllegalArgumentException("channel must be one of schema '" + schema.name() + "', but was '"
                    + channel + "'");
        }
        return AlertRule.named(name).type(AlertType.THRESHOLD).priority(priority).channel(channel).schema(schema)
                .cooldown(cooldown).message(template())
                .when(above ? Condition.above(channel, limit) : Condition.below(channel, limit))
                .build();
    }
}
