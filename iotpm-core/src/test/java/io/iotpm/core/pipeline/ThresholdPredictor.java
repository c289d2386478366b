package io.iotpm.core.pipeline;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, tiny predictor for tests: the failure probability is the share of the window's readings
 * whose channel {@code channel} is above {@code threshold}. Records its batch sizes and windows, can
 * be told to fail, and, like the LSTM, refuses a window that is not in strict time order.
 */
public final class ThresholdPredictor implements Predictor {

    private final SensorSchema schema;
    private final int sequenceLength;
    private final int minHistory;
    private final int channel;
    private final double threshold;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<List<SensorReading>> windows = new CopyOnWriteArrayList<>();
    final AtomicInteger failBatches = new AtomicInteger();
    volatile String failDevice;

    public ThresholdPredictor(SensorSchema schema, int sequenceLength, String channel, double threshold) {
        this(schema, sequenceLength, channel, threshold, sequenceLength);
    }

    /** A predictor that, like a padding LSTM, takes windows of {@code minHistory} readings on. */
    public ThresholdPredictor(SensorSchema schema, int sequenceLength, String channel, double threshold, int minHistory) {
        this.schema = schema;
        this.sequenceLength = sequenceLength;
        this.minHistory = minHistory;
        this.channel = schema.requireIndex(channel);
        this.threshold = threshold;
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
    public int minHistory() {
        return minHistory;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        if (deviceId.equals(failDevice)) {
            throw new IllegalArgumentException("cannot predict device '" + deviceId + "'");
        }
        if (window.size() < minHistory) {
            throw new IllegalArgumentException("window of " + window.size() + " < " + minHistory);
        }
        for (int i = 1; i < window.size(); i++) {
            if (!window.get(i).timestamp().isAfter(window.get(i - 1).timestamp())) {
                throw new IllegalArgumentException("window of device '" + deviceId + "' is not in time order at "
                        + window.get(i).timestamp());
            }
        }
        windows.add(List.copyOf(window));
        List<SensorReading> w = window.subList(Math.max(0, window.size() - sequenceLength), window.size());
        long above = w.stream().filter(r -> r.value(channel) > threshold).count();
        double p = (double) above / w.size();
        RiskLevel risk = p >= 0.75 ? RiskLevel.CRITICAL : p >= 0.5 ? RiskLevel.HIGH : p >= 0.25 ? RiskLevel.MEDIUM
                : RiskLevel.LOW;
        return new Prediction(deviceId, w.get(w.size() - 1).timestamp(), p, risk, p >= 0.5, Double.NaN, "threshold-1");
    }

    @Override
    public List<Prediction> predictBatch(List<DeviceWindow> windows) {
        batchSizes.add(windows.size());
        if (failBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("predictor is down");
        }
        List<Prediction> out = new ArrayList<>();
        for (DeviceWindow w : windows) {
            out.add(predict(w.deviceId(), w.readings()));
        }
        return out;
    }
}
