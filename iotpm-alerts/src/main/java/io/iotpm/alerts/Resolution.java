package io.iotpm.alerts;

/** Why an alert was resolved. */
public enum Resolution {
    /** The rule's clear condition held (or, for a no-data alert, the device sent data again). */
    CLEARED,
    /** A person resolved it through {@link AlertManager#resolve(long, String)}. */
    MANUAL,
    /** Nothing matched for the manager's auto-resolve timeout. */
    TIMEOUT
}
