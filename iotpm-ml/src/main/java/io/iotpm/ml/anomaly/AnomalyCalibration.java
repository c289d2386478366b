package io.iotpm.ml.anomaly;

/**
 * Turns a reconstruction error into the {@code [0, 1]} value a {@link io.iotpm.core.Prediction}
 * reports: {@code r^k / (1 + r^k)} with {@code r = score / threshold}, so 0.5 at the threshold and
 * {@link #HEALTHY_MEDIAN_PROBABILITY} at the median healthy score ({@code k} is fitted so, and
 * clamped to {@code [0.5, 50]}; 4 when the two coincide). Monotone in the score; calibrated on healthy
 * data only, so it is not a probability of failure. Engines that serve an exported autoencoder use
 * the same record, so they report the same values.
 *
 * @param threshold     the score threshold (a percentile of healthy validation scores), {@code > 0}
 * @param healthyMedian the median healthy validation score, {@code >= 0}
 */
public record AnomalyCalibration(double threshold, double healthyMedian) {

    /** The probability a typical (median) healthy window gets. */
    public static final double HEALTHY_MEDIAN_PROBABILITY = 0.05;
    private static final double DEFAULT_SLOPE = 4;

    /** @throws IllegalArgumentException if the threshold is not positive or the median is negative or NaN */
    public AnomalyCalibration {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be > 0 and finite, but was " + threshold);
        }
        if (!(healthyMedian >= 0)) {
            throw new IllegalArgumentException("healthyMedian must be >= 0, but was " + healthyMedian);
        }
    }

    /** @return the exponent {@code k} */
    public double slope() {
        if (!(healthyMedian > 0) || !(threshold > healthyMedian)) {
            return DEFAULT_SLOPE;
        }
        double k = Math.log((1 - HEALTHY_MEDIAN_PROBABILITY) / HEALTHY_MEDIAN_PROBABILITY)
                / Math.log(threshold / healthyMedian);
        return Math.min(50, Math.max(0.5, k));
    }

    /**
     * @param score a reconstruction error
     * @return its calibrated value in {@code [0, 1]}: 0 for a score of 0 (or below), 0.5 at the threshold
     */
    public double probability(double score) {
        if (!(score > 0)) {
            return 0;
        }
        return 1 / (1 + Math.exp(-slope() * Math.log(score / threshold)));
    }

    /** @return whether {@code score} reached the threshold */
    public boolean anomalous(double score) {
        return score >= threshold;
    }
}
