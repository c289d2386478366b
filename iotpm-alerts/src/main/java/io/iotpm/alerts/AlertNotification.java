package io.iotpm.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Notifier} receives: an alert snapshot and what just happened to it.
 *
 * @param event what happened
 * @param alert the alert after it happened
 * @param at    manager clock time
 */
public record AlertNotification(Event event, Alert alert, Instant at) {

    /** Validates that nothing is null. */
    public AlertNotification {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(at, "at");
    }

    /** What happened to the alert. */
    public enum Event {
        /** A new alert was raised. */
        FIRED,
        /** Still active and unacknowledged after the rule's re-notify interval. */
        RENOTIFIED,
        /** Still unacknowledged after the rule's escalation delay; its priority was raised. */
        ESCALATED,
        /** Someone acknowledged it. */
        ACKNOWLEDGED,
        /** It was resolved. */
        RESOLVED;

        /** @return whether this event asks for attention (FIRED, RENOTIFIED, ESCALATED) */
        public boolean isRaise() {
            return this == FIRED || this == RENOTIFIED || this == ESCALATED;
        }
    }
}
