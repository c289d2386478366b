package io.iotpm.core;

import java.time.Instant;
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
 */
public record Prediction(String deviceId, Instant timestamp, double failureProbability, RiskLevel riskLevel,
                         boolean maintenanceNeeded, double remainingUsefulLife, String modelVersion) {

    /** @throws IllegalArgumentException if the probability is outside {@code [0, 1]} */
    public Prediction {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(riskLevel, "riskLevel");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if (!(failureProbability >= 0 && failureProbability <= 1)) {
            throw new IllegalArgumentException("failureProbability must be in [0, 1], but was " + failureProbability);
        }
    }

    /** @return whether a remaining-useful-life estimate is present */
    public boolean hasRemainingUsefulLife() {
        return !Double.isNaN(remainingUsefulLife);
    }
}
