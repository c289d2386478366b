package io.iotpm.alerts;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static SensorReading at(String device, int minute, double temperature, double vibrationX) {
        return SensorReading.of(device, T0.plus(Duration.ofMinutes(minute)), MOTOR, temperature, vibrationX, 0.4, 0.3,
                2.5, 1800, 15, 220, 0.95, 45);
    }

    static SensorReading at(int minute, double temperature) {
        return at("PUMP_001", minute, temperature, 0.5);
    }

    @Test
    void above_comparesStrictlyAndReportsTheValue() {
        Condition.Test t = Condition.above("temperature", 85).newTest();
        assertThat(t.test(at(0, 85))).isFalse();
        assertThat(t.test(at(1, 85.01))).isTrue();
        assertThat(t.value()).isEqualTo(85.01);
    }

    @Test
    void sustainedFor_firesOnlyAfterTheConditionHeldForTheWholeDuration() {
        Condition.Test t = Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(5)).newTest();
        assertThat(t.test(at(0, 90))).isFalse();
        assertThat(t.test(at(4, 90))).isFalse();
        assertThat(t.test(at(5, 90))).isTrue();
        assertThat(t.test(at(6, 80))).isFalse();     // breaks the run
        assertThat(t.test(at(7, 90))).isFalse();
        assertThat(t.test(at(11, 90))).isFalse();
        assertThat(t.test(at(12, 90))).isTrue();
    }

    @Test
    void times_firesOnTheNthMatchWithinTheWindow() {
        Condition.Test t = Condition.above("temperature", 85).times(3, Duration.ofMinutes(10)).newTest();
        assertThat(t.test(at(0, 90))).isFalse();
        assertThat(t.test(at(1, 70))).isFalse();
        assertThat(t.test(at(4, 90))).isFalse();
        assertThat(t.test(at(10, 90))).isTrue();     // matches at 0, 4, 10: within 10 minutes
        assertThat(t.test(at(14, 90))).isTrue();     // 4, 10, 14
        assertThat(t.test(at(25, 90))).isFalse();    // 10, 14, 25: 15 minutes apart
    }

    @Test
    void andOr_combineAndKeepStatefulPartsFed() {
        Condition hotFor2 = Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(2));
        Condition shaky = Condition.above("vibration_x", 2.8);
        Condition.Test and = hotFor2.and(shaky).newTest();
        assertThat(and.test(at("D", 0, 90, 0.5))).isFalse();
        assertThat(and.test(at("D", 1, 90, 0.5))).isFalse();
        // The sustained part was fed although the other side was false: it holds at minute 2.
        assertThat(and.test(at("D", 2, 90, 3.0))).isTrue();
        Condition.Test or = Condition.above("temperature", 85).or(shaky).newTest();
        assertThat(or.test(at("D", 0, 70, 3.0))).isTrue();
        assertThat(or.value()).isEqualTo(3.0);
        assertThat(or.test(at("D", 0, 70, 0.5))).isFalse();
        assertThat(Condition.above("temperature", 85).negate().newTest().test(at(0, 70))).isTrue();
    }

    @Test
    void perDeviceThresholds_fromMapWithDefault_andFromFunction() {
        Condition c = Condition.above("temperature", Map.of("PUMP_HOT", 95.0), 85);
        assertThat(c.newTest().test(at("PUMP_HOT", 0, 90, 0.5))).isFalse();
        assertThat(c.newTest().test(at("PUMP_001", 0, 90, 0.5))).isTrue();
        Map<String, Double> live = new ConcurrentHashMap<>(Map.of("PUMP_001", 80.0));
        Condition.Test f = Condition.above("temperature", id -> live.getOrDefault(id, 85.0)).newTest();
        assertThat(f.test(at(0, 82))).isTrue();
        live.put("PUMP_001", 90.0);      // changed at run time, seen at once
        assertThat(f.test(at(1, 82))).isFalse();
        assertThatThrownBy(() -> Condition.above("temperature", Map.of("X", Double.NaN), 85))
                .hasMessageContaining("device 'X'").hasMessageContaining("NaN");
    }

    @Test
    void unknownChannel_readsAsNaN_andNeverMatches() {
        Condition.Test t = Condition.above("speed", 1).newTest();
        assertThat(t.test(at(0, 90))).isFalse();
        assertThat(Condition.outside("speed", 0, 1).newTest().test(at(0, 90))).isFalse();
    }

    @Test
    void factories_rejectBadArguments() {
        assertThatThrownBy(() -> Condition.above("Temperature!", 1)).hasMessageContaining("'Temperature!'");
        assertThatThrownBy(() -> Condition.above("temperature", Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Condition.outside("temperature", 5, 1)).hasMessageContaining("5.0 > 1.0");
        assertThatThrownBy(() -> Condition.above("temperature", 1).sustainedFor(Duration.ZERO))
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Condition.above("temperature", 1).times(0, Duration.ofMinutes(1)))
                .hasMessageContaining("but was 0");
    }
}
