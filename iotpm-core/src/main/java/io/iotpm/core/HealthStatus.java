package io.iotpm.core;

/**
 * Coarse health of a device, derived from a health score in {@code [0, 100]}: by the simulator as
 * ground truth for demos, by a {@link Predictor} in production.
 */
public enum HealthStatus {
    /** Score of at least {@value #WARNING_BELOW}. */
    NORMAL,
    /** Score below {@value #WARNING_BELOW}. */
    WARNING,
    /** Score below {@value #CRITICAL_BELOW}. */
    CRITICAL,
    /** Score zero: the device has failed and is waiting for repair. */
    FAILED,
    /** No health score is known (real sensor data carries none). */
    UNKNOWN;

    /** Scores below this are {@link #WARNING}. */
    public static final double WARNING_BELOW = 70;
    /** Scores below this are {@link #CRITICAL}. */
    public static final double CRITICAL_BELOW = 40;

    /**
     * @param score health score in {@code [0, 100]}, or NaN when unknown
     * @return the status for that score
     */
    public static HealthStatus fromScore(double score) {
        if (Double.isNaN(score)) {
            return UNKNOWN;
        }
        if (score <= 0) {
            return FAILED;
        }
        if (score < CRITICAL_BELOW) {
            return CRITICAL;
        }
        return score < WARNING_BELOW ? WARNING : NORMAL;
    }
}
