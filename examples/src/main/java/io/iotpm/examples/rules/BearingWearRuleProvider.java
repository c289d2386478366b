package io.iotpm.examples.rules;

import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.rules.AlertRuleProvider;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.util.List;

/**
 * An example {@link AlertRuleProvider}: a bearing-wear rule on the overall vibration velocity
 * (the RMS of the three axes, as ISO 10816 rates machines), sustained for ten minutes while the
 * motor runs warm, cleared only when the vibration has been low for ten minutes. It applies to any
 * schema with {@code vibration_x/y/z} and {@code temperature} channels, and to no other.
 */
public final class BearingWearRuleProvider implements AlertRuleProvider {

    /** Overall vibration above this (mm/s) is "unsatisfactory" for a small machine in ISO 10816-1 class I. */
    static final double ALERT_MM_S = 1.8;
    static final double CLEAR_MM_S = 1.2;

    /** Needed by {@link java.util.ServiceLoader}. */
    public BearingWearRuleProvider() {
    }

    @Override
    public String name() {
        return "example-bearing-wear";
    }

    @Override
    public List<AlertRule> rules(SensorSchema schema) {
        if (!(schema.has("vibration_x") && schema.has("vibration_y") && schema.has("vibration_z")
                && schema.has("temperature"))) {
            return List.of();
        }
        Condition high = Condition.stateful(null, "overall vibration > " + ALERT_MM_S, () -> new Overall(ALERT_MM_S, true));
        Condition low = Condition.stateful(null, "overall vibration < " + CLEAR_MM_S, () -> new Overall(CLEAR_MM_S, false));
        return List.of(AlertRule.named("example.bearing_wear")
                .when(high.and(Condition.above("temperature", 70)).sustainedFor(Duration.ofMinutes(10)))
                .clearWhen(low.sustainedFor(Duration.ofMinutes(10)))
                .type(AlertType.CUSTOM).priority(Priority.HIGH).schema(schema)
                .message("{device_id}: bearing wear suspected, overall vibration {value} mm/s at {temperature} °C")
                .build());
    }

    /** RMS of the three vibration axes compared with a threshold; reports the RMS as {@code {value}}. */
    private static final class Overall implements Condition.Test {
        private final Condition.ChannelValue x = new Condition.ChannelValue("vibration_x");
        private final Condition.ChannelValue y = new Condition.ChannelValue("vibration_y");
        private final Condition.ChannelValue z = new Condition.ChannelValue("vibration_z");
        private final double threshold;
        private final boolean above;
        private double rms = Double.NaN;

        Overall(double threshold, boolean above) {
            this.threshold = threshold;
            this.above = above;
        }

        @Override
        public boolean test(SensorReading r) {
            double vx = x.of(r);
            double vy = y.of(r);
            double vz = z.of(r);
            rms = Math.sqrt((vx * vx + vy * vy + vz * vz) / 3);
            return above ? rms > threshold : rms < threshold;
        }

        @Override
        public double value() {
            return rms;
        }
    }
}
