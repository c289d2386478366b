package io.iotpm.alerts;

/** Why the manager did not send a notification it otherwise would have. */
public enum Suppression {
    /** The rule notified this device less than its cooldown ago. */
    COOLDOWN,
    /** A {@link Silence} matched the rule and device. */
    SILENCED,
    /** An open CRITICAL alert of the same type on the same device mutes lower priorities. */
    INHIBITED
}
