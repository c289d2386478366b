package io.iotpm.api;

import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.List;

/**
 * A deterministic rule-based {@link Predictor} for API tests: the failure probability is the share
 * of readings in the window whose temperature is above the channel's normal range. The API must
 * work with any Predictor; the LSTM has its own tests in iotpm-ml.
 */
final class TestPredictor implements Predictor {

    private final SensorSchema schema = SensorSchema.industrialMotor();
    private final int length;
    private final int minHistory;

    TestPredictor(int length) {
        this(length, length);
    }

    /** A predictor that, like a padding LSTM, takes windows of {@code minHistory} readings on. */
    TestPredictor(int length, int minHistory) {
        this.length = length;
        this.minHistory = minHistory;
    }

    @Override
    public int minHistory() {
        return minHistory;
    }

    @Override
    public SensorSchema schema() {
        return schema;
    }

    @Override
    public int sequenceLength() {
        return length;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        if (window.size() < minHistory) {
            throw new IllegalArgumentException("window of " + window.size() + " < " + minHistory);
        }
        List<SensorReading> w = window.subList(Math.max(0, window.size() - length), window.size());
        if (w.stream().anyMatch(r -> !r.schema().equals(schema))) {
            throw new IllegalArgumentException("window of device '" + deviceId + "' has readings of another schema");
        }
        double max = schema.channel(schema.requireIndex("temperature")).normalMax();
        long hot = w.stream().filter(r -> r.value("temperature") > max).count();
        double p = (double) hot / w.size();
        RiskLevel risk = p >= 0.8 ? RiskLevel.CRITICAL : p >= 0.5 ? RiskLevel.HIGH : p >= 0.2 ? RiskLevel.MEDIUM : RiskLevel.LOW;
        // The rule reads only the temperature, so it is the whole explanation.
        return new Prediction(deviceId, w.get(w.size() - 1).timestamp(), p, risk, p >= 0.5, Double.NaN, "test-rule-1",
                java.util.Map.of("temperature", p));
    }
}
