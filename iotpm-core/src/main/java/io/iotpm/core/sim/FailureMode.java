package io.iotpm.core.sim;

import io.iotpm.core.FailureEvent;

import java.util.Locale;

/**
 * How a simulated device fails. Each mode has its own signature that builds up over the hours
 * before the failure, so a model (or a rule) can see it coming.
 */
public enum FailureMode {
    /** Vibration on all axes and noise rise, temperature creeps up. */
    BEARING_WEAR,
    /** Temperature climbs, current rises, power factor sags. */
    OVERHEATING,
    /** Current rises and jitters, voltage sags with dips, power factor drops. */
    ELECTRICAL_FAULT,
    /** Pressure drops while the motor works harder. */
    SEAL_LEAK,
    /** Vibration on x and y rises asymmetrically, z stays, noise rises. */
    IMBALANCE,
    /** For schemas other than the industrial motor: a third of the channels drift out of range. */
    DEGRADATION;

    /** @return the name used in {@link FailureEvent#mode()}, e.g. {@code bearing_wear} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final FailureMode[] MOTOR_MODES = {BEARING_WEAR, OVERHEATING, ELECTRICAL_FAULT, SEAL_LEAK, IMBALANCE};
}
