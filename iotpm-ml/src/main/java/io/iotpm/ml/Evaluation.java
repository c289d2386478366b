package io.iotpm.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Quality metrics for binary failure prediction and remaining-useful-life regression. */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Classification metrics.
     *
     * @param actual      true labels
     * @param probability predicted probabilities (or any score), same length
     * @param threshold   decision threshold: positive when {@code probability >= threshold}
     * @return the metrics
     * @throws IllegalArgumentException on mismatched lengths, no data or NaN scores
     */
    public static ClassificationMetrics classification(boolean[] actual, double[] probability, double threshold) {
        check(actual.length, probability);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < actual.length; i++) {
            boolean p = probability[i] >= threshold;
            if (actual[i]) {
                if (p) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (p) {
                fp++;
            } else {
                tn++;
            }
        }
        double accuracy = (double) (tp + tn) / actual.length;
        double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        double f1 = tp == 0 ? (tp + fn == 0 ? Double.NaN : 0) : 2.0 * tp / (2.0 * tp + fp + fn);
        return new ClassificationMetrics(threshold, tp, fp, tn, fn, accuracy, precision, recall, f1,
                rocAuc(actual, probability), prAuc(actual, probability), brier(actual, probability),
                reliability(actual, probability, RELIABILITY_BINS));
    }

    /** Bins of the reliability table in {@link ClassificationMetrics}. */
    public static final int RELIABILITY_BINS = 10;

    /**
     * The Brier score: mean of {@code (p - y)²}.
     *
     * @param actual      true labels
     * @param probability predicted probabilities, same length
     * @return the score in {@code [0, 1]}; NaN when a value is outside {@code [0, 1]} (a score, not a probability)
     * @throws IllegalArgumentException on mismatched lengths, no data or NaN
     */
    public static double brier(boolean[] actual, double[] probability) {
        check(actual.length, probability);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double p = probability[i];
            if (p < 0 || p > 1) {
                return Double.NaN;
            }
            double d = p - (actual[i] ? 1 : 0);
            s += d * d;
        }
        return s / actual.length;
    }

    /**
     * The reliability table: windows grouped into {@code bins} equal-width probability bins.
     *
     * @param actual      true labels
     * @param probability predicted probabilities, same length
     * @param bins        number of bins, {@code >= 1}
     * @return the non-empty bins, lowest first; empty when a value is outside {@code [0, 1]}
     * @throws IllegalArgumentException on mismatched lengths, no data, NaN or {@code bins < 1}
     */
    public static List<ReliabilityBin> reliability(boolean[] actual, double[] probability, int bins) {
        check(actual.length, probability);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, but was " + bins);
        }
        long[] count = new long[bins];
        double[] sumP = new double[bins];
        long[] pos = new long[bins];
        for (int i = 0; i < actual.length; i++) {
            double p = probability[i];
            if (p < 0 || p > 1) {
                return List.of();
            }
            int b = Math.min(bins - 1, (int) (p * bins));
            count[b]++;
            sumP[b] += p;
            pos[b] += actual[i] ? 1 : 0;
        }
        List<ReliabilityBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                out.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, count[b], sumP[b] / count[b],
                        (double) pos[b] / count[b]));
            }
        }
        return out;
    }

    /**
     * The threshold with the best F1 among the distinct scores (ties: the lowest such threshold).
     *
     * @return the threshold, or 0.5 when there is no positive
     */
    public static double bestF1Threshold(boolean[] actual, double[] probability) {
        check(actual.length, probability);
        long positives = positives(actual);
        if (positives == 0) {
            return 0.5;
        }
        double[] best = {-1, 0.5};
        sweep(actual, probability, (tp, fp, threshold) -> {
            double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            if (f1 > best[0]) {
                best[0] = f1;
                best[1] = threshold;
            }
        });
        return best[1];
    }

    /** @return ROC-AUC by the rank-sum statistic with averaged ties; NaN with one class only */
    public static double rocAuc(boolean[] actual, double[] score) {
        check(actual.length, score);
        int n = actual.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (actual[idx[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * The ROC curve: one point per distinct score used as threshold, from (0, 0) (threshold just above
     * the highest score) to (1, 1), thinned to at most {@code maxPoints} points (the first and the last
     * always kept) so it can be drawn or sent as JSON.
     *
     * @param actual    true labels
     * @param score     predicted probabilities (or any score), same length
     * @param maxPoints most points returned, at least 2
     * @return the points in increasing false-positive rate; empty with one class only (no curve exists)
     * @throws IllegalArgumentException on mismatched lengths, no data, NaN scores or {@code maxPoints < 2}
     */
    public static List<RocPoint> rocCurve(boolean[] actual, double[] score, int maxPoints) {
        check(actual.length, score);
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be >= 2, but was " + maxPoints);
        }
        long positives = positives(actual);
        long negatives = actual.length - positives;
        if (positives == 0 || negatives == 0) {
            return List.of();
        }
        List<RocPoint> all = new ArrayList<>();
        all.add(new RocPoint(0, 0, Math.nextUp(Arrays.stream(score).max().orElseThrow())));
        sweep(actual, score, (tp, fp, threshold) ->
                all.add(new RocPoint((double) fp / negatives, (double) tp / positives, threshold)));
        if (all.size() <= maxPoints) {
            return List.copyOf(all);
        }
        List<RocPoint> thin = new ArrayList<>(maxPoints);
        for (int j = 0; j < maxPoints; j++) {
            thin.add(all.get((int) Math.round((double) j * (all.size() - 1) / (maxPoints - 1))));
        }
        return List.copyOf(thin);
    }

    /** @return average precision (area under the step-wise precision-recall curve); NaN without positives */
    public static double prAuc(boolean[] actual, double[] score) {
        check(actual.length, score);
        long positives = positives(actual);
        if (positives == 0) {
            return Double.NaN;
        }
        double[] apAndRecall = {0, 0};
        sweep(actual, score, (tp, fp, threshold) -> {
            double recall = (double) tp / positives;
            apAndRecall[0] += (recall - apAndRecall[1]) * ((double) tp / (tp + fp));
            apAndRecall[1] = recall;
        });
        return apAndRecall[0];
    }

    /**
     * Regression metrics.
     *
     * @param actual    true remaining useful life
     * @param predicted predicted remaining useful life, same length
     * @return the metrics
     * @throws IllegalArgumentException on mismatched lengths, no data or NaN predictions
     */
    public static RegressionMetrics regression(double[] actual, double[] predicted) {
        check(actual.length, predicted);
        int n = actual.length;
        double se = 0, ae = 0, mean = 0, score = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= n;
        double tss = 0;
        for (int i = 0; i < n; i++) {
            double d = predicted[i] - actual[i];
            se += d * d;
            ae += Math.abs(d);
            tss += (actual[i] - mean) * (actual[i] - mean);
            score += d < 0 ? Math.expm1(-d / 13) : Math.expm1(d / 10);
        }
        return new RegressionMetrics(n, Math.sqrt(se / n), ae / n, tss == 0 ? Double.NaN : 1 - se / tss, score);
    }

    private static void check(int n, double[] values) {
        Objects.requireNonNull(values, "values");
        if (n != values.length) {
            throw new IllegalArgumentException("expected " + n + " predictions, but got " + values.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: no predictions");
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("prediction " + i + " is NaN");
            }
        }
    }

    /** Receives the confusion counts at each distinct threshold of a {@link #sweep}. */
    private interface ThresholdVisitor {
        void at(long truePositives, long falsePositives, double threshold);
    }

    /**
     * Walks the distinct scores from the highest down, treating each as the threshold "score >= t",
     * and reports the counts once all tied scores are in: the one pass behind best-F1, ROC and PR.
     */
    private static void sweep(boolean[] actual, double[] score, ThresholdVisitor visitor) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (actual[i]) {
                tp++;
            } else {
                fp++;
            }
            if (k + 1 < order.length && score[order[k + 1]] == score[i]) {
                continue;
            }
            visitor.at(tp, fp, score[i]);
        }
    }

    private static long positives(boolean[] actual) {
        long positives = 0;
        for (boolean a : actual) {
            positives += a ? 1 : 0;
        }
        return positives;
    }
}
