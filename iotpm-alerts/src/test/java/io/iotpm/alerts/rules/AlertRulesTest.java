package io.iotpm.alerts.rules;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.Suppression;
import io.iotpm.core.Channel;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertRulesTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final double[] NOMINAL = {65, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45};

    final MutableClock clock = new MutableClock(T0);
    AlertManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    AlertManager manager(List<AlertRule> rules) {
        manager = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO).rules(rules)
                .autoResolveAfter(Duration.ZERO).build();
        return manager;
    }

    /** One reading a minute later than the last, nominal except {@code channel = value}. */
    SensorReading next(String channel, double value, double health) {
        clock.advance(Duration.ofMinutes(1));
        double[] v = NOMINAL.clone();
        if (channel != null) {
            v[MOTOR.requireIndex(channel)] = value;
        }
        return SensorReading.of("PUMP_001", clock.instant(), MOTOR, v, health);
    }

    /** Nominal values with a little noise, so the baseline and stuck detectors see a live sensor. */
    SensorReading noisy(SplittableRandom rnd) {
        clock.advance(Duration.ofMinutes(1));
        double[] v = NOMINAL.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += v[i] * 0.005 * rnd.nextGaussian();
        }
        v[8] = Math.min(v[8], 1.0);
        return SensorReading.of("PUMP_001", clock.instant(), MOTOR, v, 95);
    }

    Map<String, Alert> openByRule() {
        return manager.active().stream().collect(Collectors.toMap(Alert::rule, a -> a));
    }

    @Test
    void defaults_coverEveryChannelAndTheDeviceRules() {
        List<String> names = AlertRules.defaults(MOTOR).stream().map(AlertRule::name).toList();
        for (Channel c : MOTOR.channels()) {
            assertThat(names).contains("out_of_range." + c.name(), "sensor_fault." + c.name(), "anomaly." + c.name());
        }
        assertThat(names).contains("limit.temperature", "health_degradation", "health_critical", "no_data",
                "failure_risk", "failure_risk_critical");
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void outOfRange_andLimit_withInhibitionOfTheLowerPriority() {
        manager(AlertRules.defaultsBuilder(MOTOR).withoutAnomaly().rangePersistence(Duration.ZERO).build());
        manager.process(next("temperature", 86, 95));
        Alert range = openByRule().get("out_of_range.temperature");
        assertThat(range.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(range.message()).isEqualTo("PUMP_001: temperature = 86 °C outside normal range [45, 85]");
        manager.process(next("temperature", 110, 95));
        Map<String, Alert> open = openByRule();
        assertThat(open.get("limit.temperature").priority()).isEqualTo(Priority.CRITICAL);
        assertThat(open.get("limit.temperature").message()).contains("beyond critical limits [25, 105]");
        // A second channel leaving its range while the CRITICAL temperature alert is open: muted.
        clock.advance(Duration.ofMinutes(1));
        double[] v = NOMINAL.clone();
        v[0] = 110;
        v[5] = 1950;
        manager.process(SensorReading.of("PUMP_001", clock.instant(), MOTOR, v, 95));
        assertThat(openByRule().get("out_of_range.rpm").suppressed()).isEqualTo(Suppression.INHIBITED);
        manager.process(next(null, 0, 95));
        assertThat(openByRule()).doesNotContainKeys("out_of_range.temperature", "limit.temperature", "out_of_range.rpm");
    }

    @Test
    void outOfRange_clearsOnlyInsideTheHysteresisBand() {
        manager(AlertRules.defaultsBuilder(MOTOR).withoutAnomaly().rangePersistence(Duration.ZERO).build());
        manager.process(next("temperature", 86, 95));
        manager.process(next("temperature", 84, 95));   // back in range, within 5% of the edge: still open
        assertThat(openByRule()).containsKey("out_of_range.temperature");
        manager.process(next("temperature", 82, 95));   // below 85 - 2
        assertThat(openByRule()).doesNotContainKey("out_of_range.temperature");
    }

    @Test
    void outOfRange_byDefaultNeedsThreeMinutesOutsideAndThreeBackInside() {
        manager(AlertRules.defaultsBuilder(MOTOR).withoutAnomaly().build());
        SplittableRandom rnd = new SplittableRandom(4);
        manager.process(noisy(rnd));
        for (int i = 0; i < 3; i++) {
            manager.process(next("current", 21 + 0.1 * i, 95));
            assertThat(openByRule()).as("minute %d", i).doesNotContainKey("out_of_range.current");
        }
        manager.process(next("current", 21.5, 95));
        assertThat(openByRule()).containsKey("out_of_range.current");
        for (int i = 0; i < 3; i++) {
            manager.process(next("current", 15 + 0.1 * i, 95));
        }
        assertThat(openByRule()).containsKey("out_of_range.current");
        manager.process(next("current", 15.5, 95));
        assertThat(openByRule()).doesNotContainKey("out_of_range.current");
    }

    @Test
    void sensorFault_flatLine_firesAfterStuckReadingsAndClearsWhenItMoves() {
        manager(AlertRules.defaultsBuilder(MOTOR).stuckReadings(10).withoutAnomaly().build());
        SplittableRandom rnd = new SplittableRandom(1);
        manager.process(noisy(rnd));
        for (int i = 0; i < 9; i++) {
            manager.process(next("current", 15.0, 95));
            assertThat(openByRule()).as("reading %d", i).doesNotContainKey("sensor_fault.current");
        }
        manager.process(next("current", 15.0, 95));
        // Every other channel was nominal (identical) too, so they are all flat: one alert per channel.
        assertThat(openByRule().get("sensor_fault.current").type()).isEqualTo(AlertType.SENSOR_FAULT);
        manager.process(noisy(rnd));
        assertThat(openByRule()).doesNotContainKey("sensor_fault.current");
    }

    @Test
    void sensorFault_impossibleJump() {
        manager(AlertRules.defaultsBuilder(MOTOR).withoutAnomaly().build());
        SplittableRandom rnd = new SplittableRandom(2);
        manager.process(noisy(rnd));
        manager.process(next("vibration_x", 30, 95));      // +29.5 mm/s in a minute, physical span 50
        Alert a = openByRule().get("sensor_fault.vibration_x");
        assertThat(a.priority()).isEqualTo(Priority.HIGH);
        assertThat(a.lastValue()).isEqualTo(30);
    }

    @Test
    void sensorFault_missingValue() {
        SensorSchema s = SensorSchema.builder("probe")
                .channel(Channel.builder("temperature").unit("°C").normalRange(0, 50).physicalRange(-40, 150).allowMissing())
                .build();
        manager(AlertRules.defaults(s));
        manager.process(SensorReading.of("P1", T0, s, 20));
        manager.process(SensorReading.of("P1", T0.plusSeconds(60), s, Double.NaN));
        assertThat(manager.active()).extracting(Alert::rule).contains("sensor_fault.temperature");
    }

    @Test
    void anomaly_firesOnASuddenShiftAgainstTheBaselineAndClearsWhenBack() {
        manager(AlertRules.defaultsBuilder(MOTOR).baselineReadings(30).build());
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            manager.process(noisy(rnd));
        }
        assertThat(openByRule().keySet()).noneMatch(k -> k.startsWith("anomaly."));
        manager.process(next("temperature", 72, 95));      // within normal range, but far from 65 ± 0.3
        assertThat(openByRule()).as("one reading is not enough").doesNotContainKey("anomaly.temperature");
        manager.process(next("temperature", 72, 95));
        Alert a = openByRule().get("anomaly.temperature");
        assertThat(a.type()).isEqualTo(AlertType.ANOMALY);
        assertThat(a.lastValue()).as("z").isGreaterThan(4);
        assertThat(openByRule()).doesNotContainKey("out_of_range.temperature");
        for (int i = 0; i < 3; i++) {
            manager.process(noisy(rnd));
        }
        assertThat(openByRule()).doesNotContainKey("anomaly.temperature");
    }

    @Test
    void healthRules_followTheScoreWithHysteresis() {
        manager(AlertRules.defaultsBuilder(MOTOR).withoutAnomaly().build());
        manager.process(next(null, 0, 65));
        assertThat(openByRule().get("health_degradation").message()).isEqualTo("PUMP_001: health score 65 below 70");
        manager.process(next(null, 0, 35));
        assertThat(openByRule().get("health_critical").priority()).isEqualTo(Priority.CRITICAL);
        manager.process(next(null, 0, 42));          // above 40 but below 45: critical stays
        assertThat(openByRule()).containsKey("health_critical");
        manager.process(next(null, 0, 72));          // above 70 but below 75: degradation stays
        assertThat(openByRule()).containsKey("health_degradation").doesNotContainKey("health_critical");
        manager.process(next(null, 0, Double.NaN));  // unknown health changes nothing
        assertThat(openByRule()).containsKey("health_degradation");
        manager.process(next(null, 0, 80));
        assertThat(openByRule()).doesNotContainKey("health_degradation");
    }

    @Test
    void noData_defaultFiresAfterFiveMinutes() {
        manager(AlertRules.defaults(MOTOR));
        manager.process(next(null, 0, 95));
        clock.advance(Duration.ofMinutes(5));
        manager.tick();
        assertThat(openByRule().get("no_data").priority()).isEqualTo(Priority.HIGH);
    }

    @Test
    void failureRisk_fromPredictions() {
        manager(AlertRules.defaults(MOTOR));
        manager.process(new Prediction("PUMP_001", T0, 0.75, RiskLevel.HIGH, true, 40, "lstm-1"));
        Alert a = openByRule().get("failure_risk");
        assertThat(a.message()).isEqualTo("PUMP_001: failure risk HIGH (probability 0.75, model lstm-1)");
        manager.process(new Prediction("PUMP_001", T0, 0.95, RiskLevel.CRITICAL, true, 5, "lstm-1"));
        assertThat(openByRule().get("failure_risk_critical").message())
                .isEqualTo("PUMP_001: failure imminent, probability 0.95, RUL 5");
        manager.process(new Prediction("PUMP_001", T0, 0.1, RiskLevel.LOW, false, 100, "lstm-1"));
        assertThat(openByRule()).isEmpty();
    }

    @Test
    void healthySimulatedFleet_raisesFewFalseAlarms_failingFleetRaisesHealthAlerts() {
        Fleet healthy = Fleet.builder().devices(5).seed(7).failureProbability(0).start(T0).build();
        manager(AlertRules.defaults(MOTOR));
        healthy.history(Duration.ofDays(1)).forEach(r -> {
            clock.set(r.timestamp());
            manager.process(r);
        });
        List<Alert> falseAlarms = manager.history(AlertQuery.all());
        // 5 device-days, 72,000 channel readings: noise alone may trip a rule now and then, rarely.
        assertThat(falseAlarms).as("alerts on a healthy fleet").hasSizeLessThanOrEqualTo(5);
        manager.close();

        Fleet failing = Fleet.builder().devices(5).seed(7).failureProbability(0.5).start(T0).build();
        manager(AlertRules.defaults(MOTOR));
        failing.history(Duration.ofDays(3)).forEach(r -> {
            clock.set(r.timestamp());
            manager.process(r);
        });
        List<Alert> all = manager.history(AlertQuery.all());
        assertThat(all).extracting(Alert::type).contains(AlertType.HEALTH);
        assertThat(all.stream().filter(a -> a.type() == AlertType.HEALTH).map(Alert::deviceId).distinct().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void defaults_takeTheCooldownFromIotpmConfig() {
        io.iotpm.core.config.IotpmConfig config = io.iotpm.core.config.IotpmConfig.builder()
                .environment(Map.of("ALERT_COOLDOWN", "5m")).build();
        assertThat(AlertRules.defaults(MOTOR, config)).allMatch(r -> r.cooldown().equals(Duration.ofMinutes(5)));
        assertThat(AlertRules.defaults(MOTOR)).allMatch(r -> r.cooldown().equals(AlertRule.DEFAULT_COOLDOWN));
    }

    @Test
    void defaultsBuilder_rejectsBadSettings() {
        assertThatThrownBy(() -> AlertRules.defaultsBuilder(MOTOR).zScore(2, 4)).hasMessageContaining("enter 2.0, exit 4.0");
        assertThatThrownBy(() -> AlertRules.defaultsBuilder(MOTOR).stuckReadings(1)).hasMessageContaining("but was 1");
        assertThatThrownBy(() -> AlertRules.defaultsBuilder(MOTOR).baselineReadings(1)).hasMessageContaining("but was 1");
        assertThatThrownBy(() -> AlertRules.defaultsBuilder(MOTOR).noDataAfter(Duration.ZERO)).hasMessageContaining("PT0S");
    }

    @Test
    void discovered_withNoProviderOnTheClassPath_isEmpty() {
        assertThat(AlertRules.discovered(MOTOR)).isEmpty();
        assertThat(manager(List.of()).active()).isEmpty();
        assertThat(AlertState.ACTIVE.isOpen()).isTrue();
    }
}
