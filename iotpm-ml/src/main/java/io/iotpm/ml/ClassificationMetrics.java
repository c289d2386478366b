package io.iotpm.ml;

import java.util.List;

/**
 * Binary classification quality at one decision threshold, plus threshold-free ROC-AUC and PR-AUC.
 * Undefined ratios (no positive prediction, a single class) are NaN.
 *
 * @param threshold      probability at or above which a window is called positive
 * @param truePositives  positives called positive
 * @param falsePositives negatives called positive
 * @param trueNegatives  negatives called negative
 * @param falseNegatives positives called negative
 * @param accuracy       (TP + TN) / all
 * @param precision      TP / (TP + FP)
 * @param recall         TP / (TP + FN)
 * @param f1             harmonic mean of precision and recall
 * @param rocAuc         area under the ROC curve (ties averaged)
 * @param prAuc          area under the precision-recall curve (average precision)
 * @param brierScore     mean squared difference between probability and outcome (0 is perfect; NaN when
 *                       the scores are not probabilities)
 * @param reliability    reliability table over ten equal-width probability bins (empty bins left out;
 *                       empty when the scores are not probabilities)
 */
public record ClassificationMetrics(double threshold, long truePositives, long falsePositives, long trueNegatives,
                                    long falseNegatives, double accuracy, double precision, double recall, double f1,
                                    double rocAuc, double prAuc, double brierScore, List<ReliabilityBin> reliability) {

    /** Copies the reliability table. */
    public ClassificationMetrics {
        reliability = List.copyOf(reliability);
    }

    /**
     * Metrics without calibration figures (Brier score NaN, no reliability table).
     *
     * @param threshold      decision threshold
     * @param truePositives  TP
     * @param falsePositives FP
     * @param trueNegatives  TN
     * @param falseNegatives FN
     * @param accuracy       accuracy
     * @param precision      precision
     * @param recall         recall
     * @param f1             F1
     * @param rocAuc         ROC-AUC
     * @param prAuc          PR-AUC
     */
    public ClassificationMetrics(double threshold, long truePositives, long falsePositives, long trueNegatives,
                                 long falseNegatives, double accuracy, double precision, double recall, double f1,
                                 double rocAuc, double prAuc) {
        this(threshold, truePositives, falsePositives, trueNegatives, falseNegatives, accuracy, precision, recall, f1,
                rocAuc, prAuc, Double.NaN, List.of());
    }

    /** @return number of windows evaluated */
    public long count() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** @return the confusion matrix {@code [[TN, FP], [FN, TP]]} (rows: actual 0/1, columns: predicted 0/1) */
    public long[][] confusionMatrix() {
        return new long[][] {{trueNegatives, falsePositives}, {falseNegatives, truePositives}};
    }
}
