package io.iotpm.ml.network;

import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorSchema;

import java.util.List;
import java.util.Objects;

/**
 * A trained LSTM predictor in engine-neutral form: everything another engine needs to serve the same
 * predictions (an engine module exports it in its own format). Running {@link #forward} on a raw
 * window gives the value the predictor turns into a prediction: the failure probability of a
 * classifier, or the remaining useful life in steps of an RUL model.
 *
 * @param version             the model version every prediction carries
 * @param schema              schema of the raw readings
 * @param sequenceLength      time steps per window
 * @param featureNames        the network's input features, in order
 * @param features            the recipe from raw readings to the scaled input
 * @param weights             the network, its output head included (the logit for a classifier, a
 *                            ReLU scaled to steps for an RUL model)
 * @param remainingUsefulLife whether the output is a remaining useful life rather than a probability
 * @param horizon             steps ahead within which a failure counts; an RUL model needs
 *                            maintenance when its output is at most this
 * @param riskThresholds      probabilities from which the risk is MEDIUM, HIGH and CRITICAL, with the
 *                            maintenance level starting at the decision probability
 * @param decisionThreshold   a classifier's probability from which maintenance is needed
 * @param calibration         the Platt scaling that makes {@code maintenance_probability}: of the
 *                            classifier's logit, or of an RUL model's failure score
 *                            {@code (horizon - rul) / max(1, horizon / 5)}
 * @param maintenanceLevel    the lowest risk level at which maintenance is needed
 * @param minHistory          the fewest raw readings a window may hold, at most {@code sequenceLength}; a
 *                            shorter window is padded at the front with copies of its oldest reading
 */
public record LstmNetwork(String version, SensorSchema schema, int sequenceLength, List<String> featureNames,
                          DerivedFeatures features, LstmWeights weights, boolean remainingUsefulLife, int horizon,
                          double[] riskThresholds, double decisionThreshold, PlattScaling calibration,
                          RiskLevel maintenanceLevel, int minHistory) {

    /**
     * A network without calibration ({@link #forward} applies the plain sigmoid to a classifier's
     * logit) whose maintenance level is HIGH and which needs full windows.
     *
     * @param version             the model version
     * @param schema              schema of the raw readings
     * @param sequenceLength      time steps per window
     * @param featureNames        input features, in order
     * @param features            the recipe from raw readings to the scaled input
     * @param weights             the network with its output head
     * @param remainingUsefulLife whether the output is a remaining useful life
     * @param horizon             steps ahead within which a failure counts
     * @param riskThresholds      MEDIUM, HIGH and CRITICAL thresholds
     * @param decisionThreshold   a classifier's decision threshold
     */
    public LstmNetwork(String version, SensorSchema schema, int sequenceLength, List<String> featureNames,
                       DerivedFeatures features, LstmWeights weights, boolean remainingUsefulLife, int horizon,
                       double[] riskThresholds, double decisionThreshold) {
        this(version, schema, sequenceLength, featureNames, features, weights, remainingUsefulLife, horizon,
                riskThresholds, decisionThreshold, PlattScaling.IDENTITY, RiskLevel.HIGH, sequenceLength);
    }

    /**
     * @throws IllegalArgumentException if the features, their names and the network's input size disagree,
     *                                  or the minimum history is outside {@code [1, sequenceLength]}
     */
    public LstmNetwork {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(schema, "schema");
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(weights, "weights");
        riskThresholds = riskThresholds.clone();
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(maintenanceLevel, "maintenanceLevel");
        if (featureNames.size() != features.featureCount() || weights.inputSize() != features.featureCount()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names and " + features.featureCount()
                    + " features, but the network takes " + weights.inputSize());
        }
        if (minHistory < 1 || minHistory > sequenceLength) {
            throw new IllegalArgumentException("minHistory must be in [1, sequenceLength " + sequenceLength
                    + "], but was " + minHistory);
        }
        if (riskThresholds.length != 3) {
            throw new IllegalArgumentException("riskThresholds needs medium, high and critical, but had "
                    + riskThresholds.length + " values");
        }
    }

    /** @return a copy of the MEDIUM, HIGH and CRITICAL thresholds */
    @Override
    public double[] riskThresholds() {
        return riskThresholds.clone();
    }

    /**
     * Plain-Java reference of the whole model: features, scaling and the network, slowly.
     *
     * @param raw   {@code steps × schema.size()} raw values, row-major, oldest first
     * @param steps time steps
     * @return the calibrated failure probability of a classifier, or the remaining useful life in steps
     */
    public double forward(double[] raw, int steps) {
        double out = weights.forward(features.transform(schema, raw, steps))[0];
        return remainingUsefulLife ? out : calibration.probability(out);
    }
}
