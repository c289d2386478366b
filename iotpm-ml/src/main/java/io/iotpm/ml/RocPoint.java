package io.iotpm.ml;

/**
 * One point of a ROC curve: the rates of classifying with {@code probability >= threshold}.
 *
 * @param falsePositiveRate false positives / actual negatives, in {@code [0, 1]}
 * @param truePositiveRate  true positives / actual positives (recall), in {@code [0, 1]}
 * @param threshold         the decision threshold that gives these rates
 */
public record RocPoint(double falsePositiveRate, double truePositiveRate, double threshold) {
}
