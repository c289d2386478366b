package io.iotpm.core.metrics;

/**
 * A snapshot of a measured quantity (a latency in nanoseconds, a batch size in readings): how many values were
 * recorded, their sum and the largest. Counts and totals only grow, so a metrics system can turn two snapshots
 * into a rate and a mean; the unit is the producer's (documented where the snapshot is offered).
 *
 * @param count how many values were recorded
 * @param total their sum
 * @param max   the largest one, 0 before the first
 */
public record Distribution(long count, long total, long max) {

    /** Nothing recorded. */
    public static final Distribution EMPTY = new Distribution(0, 0, 0);

    /**
     * @throws IllegalArgumentException if a figure is negative
     */
    public Distribution {
        if (count < 0 || total < 0 || max < 0) {
            throw new IllegalArgumentException("count, total and max must be >= 0, but were " + count + ", "
                    + total + ", " + max);
        }
    }

    /** @return {@code total / count}, or 0 before the first value */
    public double mean() {
        return count == 0 ? 0 : (double) total / count;
    }
}
