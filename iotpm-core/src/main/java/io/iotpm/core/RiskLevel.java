package io.iotpm.core;

/** How urgent a predicted failure is, from a model's failure probability and its thresholds. */
public enum RiskLevel {
    /** Nothing to do. */
    LOW,
    /** Watch the device. */
    MEDIUM,
    /** Plan maintenance. */
    HIGH,
    /** Act now. */
    CRITICAL
}
