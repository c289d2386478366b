package io.iotpm.alerts;

import io.iotpm.alerts.store.StoredAlert;

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
    /** Counters changed since the store last saw this entry; the sweep writes it. */
    boolean dirty;
    /**
     * Reloaded from the store and its rule's fire test not matched since: the test restarted cold
     * (baselines, durations), so "clear when the test stops holding" waits until it has held again.
     */
    boolean restored;

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

    /** Rebuilds an entry saved before a restart; {@code slot} is -1 when its rule no longer exists. */
    Entry(StoredAlert s, AlertRule rule, int slot, DeviceState device) {
        Alert a = s.alert();
        this.id = a.id();
        this.rule = rule;
        this.slot = slot;
        this.device = device;
        this.message = a.message();
        this.firstSeen = a.firstSeen().toEpochMilli();
        this.lastSeen = a.lastSeen().toEpochMilli();
        this.lastEscalation = s.lastEscalation().toEpochMilli();
        this.lastValue = a.lastValue();
        this.priority = a.priority();
        this.state = a.state();
        this.count = a.count();
        this.acknowledgedBy = a.acknowledgedBy();
        this.acknowledgedAt = a.acknowledgedAt() == null ? 0 : a.acknowledgedAt().toEpochMilli();
        this.resolvedBy = a.resolvedBy();
        this.resolvedAt = a.resolvedAt() == null ? 0 : a.resolvedAt().toEpochMilli();
        this.resolution = a.resolution();
        this.escalations = a.escalations();
        this.notifications = a.notifications();
        this.lastNotified = s.lastNotified() == null ? Long.MIN_VALUE : s.lastNotified().toEpochMilli();
        this.suppressed = a.suppressed();
        this.restored = true;
    }

    /** Call with {@code device}'s monitor held. */
    StoredAlert stored() {
        return new StoredAlert(snapshot(), lastNotified == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastNotified),
                Instant.ofEpochMilli(lastEscalation));
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
