package io.iotpm.alerts;

import java.time.Instant;

/**
 * An immutable snapshot of one alert: what raised it, where it is in its life cycle, and how often
 * it matched. The manager keeps one open alert per (rule, device) and updates it on every new match
 * ({@link #count()}, {@link #lastValue()}, {@link #lastSeen()}); each call returns a fresh snapshot.
 *
 * @param id             unique within the manager, increasing in creation order
 * @param rule           name of the rule that raised it
 * @param type           the rule's type
 * @param priority       current priority (the rule's, raised by escalation)
 * @param deviceId       the device
 * @param channel        the channel the rule watches, or {@code null} when it has none
 * @param message        the rule's template rendered for the first match
 * @param state          life-cycle state
 * @param firstSeen      manager clock time of the first match
 * @param lastSeen       manager clock time of the newest match
 * @param count          number of matches while open (at least 1)
 * @param lastValue      the watched value at the newest match (the channel value, the failure
 *                       probability, the seconds without data), or NaN
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param acknowledgedAt when, or {@code null}
 * @param resolvedBy     who resolved it ({@code "rule"} or {@code "timeout"} when not a person), or {@code null}
 * @param resolvedAt     when, or {@code null}
 * @param resolution     why it was resolved, or {@code null} while open
 * @param escalations    how many times its priority was raised
 * @param notifications  how many notification rounds were sent for it
 * @param suppressed     why the newest notification was held back, or {@code null}
 */
public record Alert(long id, String rule, AlertType type, Priority priority, String deviceId, String channel,
                    String message, AlertState state, Instant firstSeen, Instant lastSeen, long count,
                    double lastValue, String acknowledgedBy, Instant acknowledgedAt, String resolvedBy,
                    Instant resolvedAt, Resolution resolution, int escalations, int notifications,
                    Suppression suppressed) {

    /** @return whether the alert is ACTIVE or ACKNOWLEDGED */
    public boolean isOpen() {
        return state.isOpen();
    }
}
