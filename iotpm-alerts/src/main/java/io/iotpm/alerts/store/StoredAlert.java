package io.iotpm.alerts.store;

import io.iotpm.alerts.Alert;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert as a store keeps it: the {@link Alert} snapshot plus the manager's timers, which a restart
 * needs so that cooldown, re-notification and escalation carry on where they stopped.
 *
 * @param alert          the alert
 * @param lastNotified   when its newest notification went out, or {@code null} if none did
 * @param lastEscalation when it was raised or last escalated (the escalation timer's start)
 */
public record StoredAlert(Alert alert, Instant lastNotified, Instant lastEscalation) {

    /** Checks that the alert and the escalation time are present. */
    public StoredAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(lastEscalation, "lastEscalation");
    }

    /** @return the alert's id */
    public long id() {
        return alert.id();
    }
}
