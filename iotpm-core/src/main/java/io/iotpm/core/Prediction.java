package io.iotpm.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Predictor} says about one device at one time. JSON views use the original
 * system's names: {@code maintenance_probability}, {@code risk_level}, {@code maintenance_needed}.
 *
 * @param deviceId             the device
 * @param timestamp            time of the newest reading in the window the prediction is for
 * @param failureProbability   probability of a failure within the model's horizon, {@code [0, 1]}
 * @param riskLevel            risk from the model's probability thresholds
 * @param maintenanceNeeded    whether the probability reached the model's decision threshold
 * @param remainingUsefulLife  estimated steps until failure, or NaN when the model does not estimate it
 * @param modelVersion         identifies the model that made the prediction
 * @param contributions        why: how much each channel moved this prediction (channel name to a
 *                             signed or non-negative score whose meaning the predictor documents),
 *                             largest magnitude first; empty when the predictor does not explain
 */
public record Prediction(String deviceId, Instant timestamp, double failureProbability, RiskLevel riskLevel,
                         boolean maintenanceNeeded, double remainingUsefulLife, String modelVersion,
                         Map<String, Double> contributions) {

    /**
     * A prediction without an explanation.
     *
     * @param deviceId            the device
     * @param timestamp           time of the newest reading in the window
     * @param failureProbability  probability of a failure within the model's horizon, {@code [0, 1]}
     * @param riskLevel           risk level
     * @param maintenanceNeeded   whether the decision threshold was reached
     * @param remainingUsefulLife estimated steps until failure, or NaN
     * @param modelVersion        identifies the model
     */
    public Prediction(String deviceId, Instant timestamp, double failureProbability, RiskLevel riskLevel,
                      boolean maintenanceNeeded, double remainingUsefulLife, String modelVersion) {
        this(deviceId, timestamp, failureProbability, riskLevel, maintenanceNeeded, remainingUsefulLife,
                modelVersion, Map.of());
    }

    /** @throws IllegalArgumentException if the probability is outside {@code [0, 1]} or a contribution is NaN */
    public Prediction {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(riskLevel, "riskLevel");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if (!(failureProbability >= 0 && failureProbability <= 1)) {
            throw new IllegalArgumentException("failureProbability must be in [0, 1], but was " + failureProbability);
        }
        Objects.requireNonNull(contributions, "contributions");
        // Copy in the caller's order (largest first by contract) so the record stays immutable.
        Map<String, Double> copy = new LinkedHashMap<>();
        contributions.forEach((channel, score) -> {
            Objects.requireNonNull(channel, "contribution channel");
            if (score == null || score.isNaN()) {
                throw new IllegalArgumentException("contribution of channel '" + channel + "' must be a number, but was "
                        + score);
            }
            copy.put(channel, score);
        });
        contributions = Collections.unmodifiableMap(copy);
    }

    /** @return whether a remaining-useful-life estimate is present */
    public boolean hasRemainingUsefulLife() {
        return !Double.isNaN(remainingUsefulLife);
    }
}
