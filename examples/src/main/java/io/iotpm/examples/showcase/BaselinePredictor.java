package io.iotpm.examples.showcase;

import io.iotpm.core.Channel;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.List;

/**
 * A rule-based stand-in for the LSTM, so the streaming demo runs without a trained model: the
 * failure probability is the share of readings in the window with at least one channel outside
 * its normal range. Honest about what it is: model version {@code baseline-out-of-range}.
 */
public final class BaselinePredictor implements Predictor {

    private final SensorSchema schema;
    private final int sequenceLength;

    /**
     * Creates the predictor.
     *
     * @param schema         the schema of the readings it judges
     * @param sequenceLength readings per window, at least 1
     * @throws IllegalArgumentException if {@code sequenceLength} is below 1
     */
    public BaselinePredictor(SensorSchema schema, int sequenceLength) {
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("sequenceLength must be >= 1, but was " + sequenceLength);
        }
        this.schema = schema;
        this.sequenceLength = sequenceLength;
    }

    @Override
    public SensorSchema schema() {
        return schema;
    }

    @Override
    public int sequenceLength() {
        return sequenceLength;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        if (window.size() < sequenceLength) {
            throw new IllegalArgumentException("window of device '" + deviceId + "' has " + window.size()
                    + " readings, needs " + sequenceLength);
        }
        List<SensorReading> w = window.subList(window.size() - sequenceLength, window.size());
        int abnormal = 0;
        for (SensorReading r : w) {
            if (!r.schema().equals(schema)) {
                throw new IllegalArgumentException("reading of device '" + deviceId + "' has schema '"
                        + r.schema().name() + "', predictor expects '" + schema.name() + "'");
            }
            for (int c = 0; c < schema.size(); c++) {
                Channel ch = schema.channel(c);
                double v = r.value(c);
                if (!Double.isNaN(v) && !ch.isNormal(v)) {
                    abnormal++;
                    break;
                }
            }
        }
        double p = (double) abnormal / sequenceLength;
        RiskLevel risk = p >= 0.8 ? RiskLevel.CRITICAL : p >= 0.5 ? RiskLevel.HIGH : p >= 0.2 ? RiskLevel.MEDIUM
                : RiskLevel.LOW;
        return new Prediction(deviceId, w.get(w.size() - 1).timestamp(), p, risk, p >= 0.5, Double.NaN,
                "baseline-out-of-range");
    }
}
