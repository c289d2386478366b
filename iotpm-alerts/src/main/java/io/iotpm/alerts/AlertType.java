package io.iotpm.alerts;

/**
 * What kind of problem an alert reports. Inhibition works within a type: a {@link Priority#CRITICAL}
 * alert on a device mutes that device's lower-priority alerts of the same type.
 */
public enum AlertType {
    /** A user-defined threshold on a reading. */
    THRESHOLD,
    /** The health score fell (the original system's health degradation alert). */
    HEALTH,
    /** A channel moved far from its rolling per-device baseline (z-score). */
    ANOMALY,
    /** A channel left its normal range. */
    OUT_OF_RANGE,
    /** The sensor itself looks broken: missing values, a flat line, an impossible jump. */
    SENSOR_FAULT,
    /** A device stopped sending data. */
    NO_DATA,
    /** A predictor expects a failure (the original's maintenance-required alert). */
    FAILURE_RISK,
    /** Anything else. */
    CUSTOM
}
