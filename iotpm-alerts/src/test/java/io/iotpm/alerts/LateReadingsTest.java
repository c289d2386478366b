package io.iotpm.alerts;

import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the rules do with readings that arrive late, twice, or corrected. */
class LateReadingsTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<AlertManager> managers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        managers.forEach(AlertManager::close);
    }

    private AlertManager build(AlertManagerBuilder b) {
        AlertManager m = b.clock(clock).tickInterval(Duration.ZERO).build();
        managers.add(m);
        return m;
    }

    private static AlertManagerBuilder manager() {
        return AlertManager.builder();
    }

    /** A reading of PUMP_001 at {@code T0 + minutes} with the given temperature. */
    private static SensorReading at(double minutes, double temperature) {
        Instant t = T0.plusMillis((long) (minutes * 60_000));
        return SensorReading.of("PUMP_001", t, MOTOR, temperature, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45);
    }

    @Test
    void repeatedReading_doesNotCountTwiceInAnNInWindowRule() {
        AlertManager m = build(manager().rule(AlertRule.named("hot3")
                .when(Condition.above("temperature", 85).times(3, Duration.ofMinutes(10))).build()));
        m.process(at(0, 90));
        m.process(at(0, 90));
        m.process(at(1, 90));
        m.process(at(1, 90));
        assertThat(m.active()).isEmpty();
        m.process(at(2, 90));
        assertThat(m.active()).hasSize(1);
        assertThat(m.stats().lateReadings()).isEqualTo(2);
        assertThat(m.stats().readings()).isEqualTo(5);
    }

    @Test
    void correctionAtTheSameTimestamp_isEvaluated_butCountsItsTimestampOnce() {
        AlertManager m = build(manager().rule(AlertRule.named("hot2")
                .when(Condition.above("temperature", 85).times(2, Duration.ofMinutes(10))).build()));
        m.process(at(0, 90));
        m.process(at(0, 91));   // same timestamp, other value: a correction, not a second match
        assertThat(m.active()).isEmpty();
        assertThat(m.stats().lateReadings()).isZero();
        m.process(at(1, 90));
        assertThat(m.active()).hasSize(1);
    }

    @Test
    void lateReading_neitherRestartsNorExtendsASustainedCondition() {
        AlertManager m = build(manager().rule(AlertRule.named("hot5")
                .when(Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(5))).build()));
        for (int i = 0; i <= 4; i++) {
            m.process(at(i, 90));
        }
        m.process(at(2.5, 20));   // late and cool: does not restart the clock
        m.process(at(5, 90));
        assertThat(m.active()).hasSize(1);
    }

    @Test
    void lateReading_neitherRaisesNorClearsAThresholdAlert() {
        AlertManager m = build(manager().rule(AlertRule.named("hot").when(Condition.above("temperature", 85)).build()));
        m.process(at(5, 60));
        m.process(at(1, 99));
        assertThat(m.active()).isEmpty();
        m.process(at(6, 99));
        m.process(at(2, 60));   // an old cool value does not clear the alert of the present
        assertThat(m.active()).hasSize(1);
        assertThat(m.active().get(0).count()).isEqualTo(1);
    }

    @Test
    void lateOrRepeatedReading_doesNotClearANoDataAlert() {
        AlertManager m = build(manager().rule(AlertRule.named("quiet").noDataFor(Duration.ofMinutes(5)).build()));
        m.process(at(0, 60));
        clock.advance(Duration.ofMinutes(6));
        m.tick();
        assertThat(m.active()).hasSize(1);
        m.process(at(0, 60));   // a broker's redelivery says nothing about the device now
        assertThat(m.active()).hasSize(1);
        m.process(at(6, 60));
        assertThat(m.active()).isEmpty();
    }

    @Test
    void rollingBaseline_isFedEachTimestampOnce() {
        AlertManager a = build(manager().rules(AlertRules.defaults(MOTOR)));
        AlertManager b = build(manager().rules(AlertRules.defaults(MOTOR)));
        for (int i = 0; i < 200; i++) {
            double temp = 65 + (i % 7) * 0.3 + (i == 150 || i == 151 ? 30 : 0);
            a.process(at(i / 10.0, temp));
            b.process(at(i / 10.0, temp));
            b.process(at(i / 10.0, temp));
            if (i > 0) {
                b.process(at((i - 1) / 10.0, temp));
            }
        }
        List<String> fired = a.history(AlertQuery.all()).stream().map(x -> x.rule() + " " + x.firstSeen()).toList();
        assertThat(b.history(AlertQuery.all())).extracting(x -> x.rule() + " " + x.firstSeen())
                .containsExactlyInAnyOrderElementsOf(fired);
        assertThat(fired).anyMatch(x -> x.startsWith("anomaly.temperature "));
        assertThat(b.stats().lateReadings()).isEqualTo(399);
    }
}
