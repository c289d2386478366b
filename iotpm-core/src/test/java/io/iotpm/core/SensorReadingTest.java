package io.iotpm.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorReadingTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final double[] NOMINAL = {65, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45};

    @Test
    void holdsValuesInSchemaOrderAndCopiesInput() {
        double[] v = NOMINAL.clone();
        SensorReading r = SensorReading.of("PUMP_001", T, MOTOR, v);
        v[0] = 999;
        assertThat(r.value("temperature")).isEqualTo(65);
        r.values()[0] = 999;
        assertThat(r.value(0)).isEqualTo(65);
        assertThat(r.toMap()).containsEntry("rpm", 1800.0).hasSize(10);
        assertThat(r.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(r.withHealthScore(50).status()).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void rejectsNaNInAChannelThatForbidsMissingValues() {
        double[] v = NOMINAL.clone();
        v[0] = Double.NaN;
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T, MOTOR, v))
                .hasMessageContaining("'temperature'").hasMessageContaining("NaN").hasMessageContaining("PUMP_001");
    }

    @Test
    void acceptsNaNWhereTheChannelAllowsMissingValues() {
        SensorSchema s = SensorSchema.builder("s").channel(Channel.builder("x").physicalRange(0, 1).allowMissing()).build();
        assertThat(SensorReading.of("d", T, s, Double.NaN).value(0)).isNaN();
    }

    @Test
    void rejectsInfinityOutOfPhysicalRangeAndWrongValueCount() {
        double[] inf = NOMINAL.clone();
        inf[5] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T, MOTOR, inf)).hasMessageContaining("'rpm' must be finite");
        double[] hot = NOMINAL.clone();
        hot[0] = 5000;
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T, MOTOR, hot))
                .hasMessageContaining("physical range").hasMessageContaining("5000");
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T, MOTOR, 1, 2))
                .hasMessageContaining("has 2 values").hasMessageContaining("10 channels");
    }

    @Test
    void rejectsUnsafeDeviceIdAndBadHealthScore() {
        assertThatThrownBy(() -> SensorReading.of("../etc", T, MOTOR, NOMINAL)).hasMessageContaining("'..'");
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T, MOTOR, NOMINAL, 101)).hasMessageContaining("health score");
    }

    @Test
    void builder_setsChannelsByNameAndRejectsUnknownChannels() {
        SensorReading.Builder b = SensorReading.builder(MOTOR).deviceId("PUMP_001").timestamp(T);
        for (int i = 0; i < NOMINAL.length; i++) {
            b.value(MOTOR.channelName(i), NOMINAL[i]);
        }
        assertThat(b.build()).isEqualTo(SensorReading.of("PUMP_001", T, MOTOR, NOMINAL));
        assertThatThrownBy(() -> b.value("humidity", 1)).hasMessageContaining("unknown channel 'humidity'");
        SensorReading.Builder partial = SensorReading.builder(MOTOR).deviceId("PUMP_001").timestamp(T).value("rpm", 1);
        assertThatThrownBy(partial::build).hasMessageContaining("does not allow missing");
    }

    @Test
    void healthStatusFollowsScoreBands() {
        assertThat(HealthStatus.fromScore(100)).isEqualTo(HealthStatus.NORMAL);
        assertThat(HealthStatus.fromScore(69.9)).isEqualTo(HealthStatus.WARNING);
        assertThat(HealthStatus.fromScore(39.9)).isEqualTo(HealthStatus.CRITICAL);
        assertThat(HealthStatus.fromScore(0)).isEqualTo(HealthStatus.FAILED);
        assertThat(HealthStatus.fromScore(Double.NaN)).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void predictionRejectsProbabilityOutsideUnitInterval() {
        assertThatThrownBy(() -> new Prediction("PUMP_001", T, 1.5, RiskLevel.HIGH, true, Double.NaN, "v1"))
                .hasMessageContaining("[0, 1]");
        assertThat(new Prediction("PUMP_001", T, 0.5, RiskLevel.MEDIUM, false, Double.NaN, "v1")
                .hasRemainingUsefulLife()).isFalse();
    }

    @Test
    void timestampsOutsideTheOneStorageRange_areRejectedForReadingsAndEvents() {
        SensorSchema schema = SensorSchema.industrialMotor();
        double[] values = schema.channels().stream().mapToDouble(Channel::nominal).toArray();
        Instant farPast = Instant.ofEpochMilli(-1_000_000_000_000_000_000L);
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", farPast, schema, values))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", Timestamps.MAX.plusNanos(1), schema, values))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailureEvent("PUMP_001", farPast, "bearing"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SensorReading.of("PUMP_001", Timestamps.MIN, schema, values).timestamp()).isEqualTo(Timestamps.MIN);
        assertThat(SensorReading.of("PUMP_001", Timestamps.MAX, schema, values).timestamp()).isEqualTo(Timestamps.MAX);
    }
}
