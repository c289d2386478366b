package io.iotpm.alerts;

/** Where an alert is in its life cycle: {@code ACTIVE -> ACKNOWLEDGED -> RESOLVED} (or straight to RESOLVED). */
public enum AlertState {
    /** Raised and nobody has taken it yet; may be re-notified and escalated. */
    ACTIVE,
    /** Someone took it; no more re-notification or escalation. */
    ACKNOWLEDGED,
    /** Over: the condition cleared, a person resolved it, or it timed out. Never changes again. */
    RESOLVED;

    /** @return whether the alert is still open (ACTIVE or ACKNOWLEDGED) */
    public boolean isOpen() {
        return this != RESOLVED;
    }
}
