package io.iotpm.ml.anomaly;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reconstruction error of one window.
 *
 * @param deviceId      the device
 * @param timestamp     time of the newest reading in the window
 * @param score         mean squared reconstruction error over time steps and channels, in the
 *                      z-scored units of the training data
 * @param threshold     the detector's threshold on {@code score}; {@code score >= threshold} is an anomaly
 * @param contributions per channel, its share of {@code score / threshold} (they add up to it), largest
 *                      first: the channel that is worst reconstructed leads
 */
public record AnomalyScore(String deviceId, Instant timestamp, double score, double threshold,
                           Map<String, Double> contributions) {

    /** Copies the contributions, keeping their order. */
    public AnomalyScore {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(timestamp, "timestamp");
        contributions = Collections.unmodifiableMap(new LinkedHashMap<>(contributions));
    }

    /** @return whether the score reached the threshold */
    public boolean anomalous() {
        return score >= threshold;
    }
}
