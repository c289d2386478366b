package io.iotpm.ml;

/**
 * One row of a reliability table: the windows whose predicted probability fell in
 * {@code [from, to)} (the last bin includes 1), how many there were, their mean predicted
 * probability and the fraction that really failed. A calibrated model has
 * {@code meanPredicted ≈ observedRate} in every row.
 *
 * @param from          lower edge of the bin
 * @param to            upper edge of the bin
 * @param count         windows in the bin
 * @param meanPredicted mean predicted probability in the bin
 * @param observedRate  fraction of positives in the bin
 */
public record ReliabilityBin(double from, double to, long count, double meanPredicted, double observedRate) {
}
