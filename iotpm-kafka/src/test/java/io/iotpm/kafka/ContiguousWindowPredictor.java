package io.iotpm.kafka;

import io.iotpm.core.Channel;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real, tiny predictor for the scale-out tests: the probability is the window's mean of channel
 * {@code load} over 100, and it refuses a window with a gap or a repeat (readings are one second
 * apart), so a window rebuilt wrongly after a rebalance shows up as a predictor error.
 */
final class ContiguousWindowPredictor implements Predictor {

    /** Two channels: {@code seq} (the reading's number) and {@code load} (0 to 100). */
    static final SensorSchema SCHEMA = SensorSchema.builder("scaleout")
            .channel(Channel.builder("seq").unit("1").nominal(0).normalRange(0, 1e9).physicalRange(0, 1e9))
            .channel(Channel.builder("load").unit("%").nominal(50).normalRange(0, 100).physicalRange(0, 100))
            .build();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int WINDOW = 5;

    /** @return reading {@code seq} of a device, one second after the previous */
    static SensorReading reading(String device, int seq) {
        return SensorReading.of(device, T0.plusSeconds(seq), SCHEMA, seq, (seq * 7 + device.hashCode() & 0x7f) % 101);
    }

    @Override
    public SensorSchema schema() {
        return SCHEMA;
    }

    @Override
    public int sequenceLength() {
        return WINDOW;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        for (int i = 1; i < window.size(); i++) {
            Duration step = Duration.between(window.get(i - 1).timestamp(), window.get(i).timestamp());
            if (!step.equals(Duration.ofSeconds(1))) {
                throw new IllegalStateException("window of '" + deviceId + "' is not contiguous at " + window.get(i)
                        .timestamp() + ": step " + step);
            }
        }
        double mean = window.stream().mapToDouble(r -> r.value(1)).average().orElse(0);
        double p = Math.min(1, mean / 100);
        return new Prediction(deviceId, window.get(window.size() - 1).timestamp(), p,
                p >= 0.75 ? RiskLevel.HIGH : RiskLevel.LOW, p >= 0.75, Double.NaN, "contiguous-1");
    }
}
