package io.iotpm.ml.anomaly;

import io.iotpm.core.RiskLevel;

/**
 * The hyper-parameters of an {@link AnomalyDetector}, saved in its {@code model.json}. Built and
 * validated by {@link AnomalyDetector.Builder}, whose setters document each default.
 *
 * @param sequenceLength        readings per window
 * @param stride                steps between training window ends
 * @param horizon               windows ending this many steps or fewer before a failure are not normal
 *                              operation and are left out of training (and labelled positive in evaluations)
 * @param hiddenSize            units of the encoder and of the decoder LSTM
 * @param epochs                most passes over the training windows
 * @param batchSize             windows per gradient step
 * @param learningRate          Adam's learning rate
 * @param earlyStoppingPatience epochs without a better validation loss before stopping, 0 for never
 * @param validationFraction    fraction of devices held out for early stopping and the threshold
 * @param thresholdPercentile   the threshold is this percentile (0..100) of healthy validation scores
 * @param mediumRisk            probability from which the risk is MEDIUM (below the decision at 0.5)
 * @param criticalRisk          probability from which the risk is CRITICAL (above the decision at 0.5)
 * @param seed                  seed of the initial weights, device split and batch order
 */
public record AutoencoderConfig(int sequenceLength, int stride, int horizon, int hiddenSize, int epochs,
                                int batchSize, double learningRate, int earlyStoppingPatience,
                                double validationFraction, double thresholdPercentile, double mediumRisk,
                                double criticalRisk, long seed) {

    /** The probability at the threshold: a window is anomalous, and at HIGH risk or more, from here on. */
    public static final double DECISION_PROBABILITY = 0.5;

    /**
     * The risk level for a probability, consistent with the decision: below the threshold LOW or
     * MEDIUM, at or above it HIGH or CRITICAL.
     *
     * @param p         the calibrated probability
     * @param anomalous whether the score reached the threshold
     * @return the level
     */
    public RiskLevel risk(double p, boolean anomalous) {
        if (anomalous) {
            return p >= criticalRisk ? RiskLevel.CRITICAL : RiskLevel.HIGH;
        }
        return p >= mediumRisk ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }
}
