package io.iotpm.alerts;

import java.time.Instant;

/**
 * The mutable record behind an {@link Alert}. Every field is guarded by {@link #device}'s monitor (see
 * {@link DeviceState}); {@link AlertBook} owns its life cycle, {@link RuleEngine} its match counters.
 */
final class Entry {

    final long id;
    final AlertRule rule;
    final int slot;
    final DeviceState device;
    final String message;
    final long firstSeen;
    Priority priority;
    AlertState state = AlertState.ACTIVE;
    long lastSeen;
    long count = 1;
    double lastValue;
    String acknowledgedBy;
    long acknowledgedAt;
    String resolvedBy;
    long resolvedAt;
    Resolution resolution;
    int escalations;
    long lastEscalation;
    int notifications;
    long lastNotified = Long.MIN_VALUE;
    Suppression suppressed;

    Entry(long id, AlertRule rule, int slot, DeviceState device, String message, long now, double value) {
        this.id = id;
        this.rule = rule;
        this.slot = slot;
        this.device = device;
        this.message = message;
        this.firstSeen = now;
        this.lastSeen = now;
        this.lastEscalation = now;
        this.lastValue = value;
        this.priority = rule.priority();
    }

    /** Call with {@code device}'s monitor held. */
    Alert snapshot() {
        return new Alert(id, rule.name(), rule.type(), priority, device.deviceId, rule.channel(), message, state,
                Instant.ofEpochMilli(firstSeen), Instant.ofEpochMilli(lastSeen), count, lastValue, acknowledgedBy,
                acknowledgedBy == null ? null : Instant.ofEpochMilli(acknowledgedAt), resolvedBy,
                resolution == null ? null : Instant.ofEpochMilli(resolvedAt), resolution, escalations, notifications,
                suppressed);
    }
}
