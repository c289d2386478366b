package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.RuleEdit;
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

/**
 * A restart is a second manager on the same store after the first was closed (or abandoned, as a
 * kill -9 would): what the first one stored must hold in the second.
 */
class AlertManagerRestartTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final AlertStore store = AlertStore.inMemory();
    final List<AlertManager> managers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        managers.forEach(AlertManager::close);
    }

    AlertManager start(RecordingNotifier rec, AlertRule... rules) {
        AlertManagerBuilder b = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO)
                .retryBackoff(Duration.ZERO).notifier(rec).store(store);
        for (AlertRule r : rules) {
            b.rule(r);
        }
        AlertManager m = b.build();
        managers.add(m);
        return m;
    }

    SensorReading reading(String device, double temperature) {
        return SensorReading.of(device, clock.instant(), MOTOR, temperature, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45);
    }

    static AlertRule hot() {
        return AlertRule.named("hot").when(Condition.above("temperature", 85)).priority(Priority.HIGH).build();
    }

    @Test
    void acknowledgedAlert_staysAcknowledgedWithSameIdWhoAndWhen() throws Exception {
        RecordingNotifier rec = new RecordingNotifier();
        AlertManager first = start(rec, hot());
        first.process(reading("PUMP_001", 90));
        clock.advance(Duration.ofMinutes(3));
        Alert acked = first.acknowledge(first.active().get(0).id(), "alice");
        first.close();

        AlertManager second = start(new RecordingNotifier(), hot());

        Alert again = second.get(acked.id()).orElseThrow();
        assertThat(again.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(again.acknowledgedBy()).isEqualTo("alice");
        assertThat(again.acknowledgedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(second.active()).extracting(Alert::id).containsExactly(acked.id());
    }

    @Test
    void openAlert_isUpdatedByNewMatches_notRaisedOrNotifiedAgain() throws Exception {
        RecordingNotifier rec = new RecordingNotifier();
        AlertManager first = start(rec, hot());
        first.process(reading("PUMP_001", 90));
        assertThat(rec.next().event()).isEqualTo(AlertNotification.Event.FIRED);
        long id = first.active().get(0).id();
        // No close(): a killed process flushes nothing, so the stored alert is the raise-time one.

        RecordingNotifier after = new RecordingNotifier();
        AlertManager second = start(after, hot());
        clock.advance(Duration.ofMinutes(30));   // beyond the 15-minute cooldown: only the slot prevents a new alert
        second.process(reading("PUMP_001", 91));
        second.tick();

        assertThat(second.active()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.lastValue()).isEqualTo(91.0);
            assertThat(a.notifications()).isEqualTo(1);
        });
        second.close();
        assertThat(after.drain()).isEmpty();
        assertThat(store.get(id).orElseThrow().alert().count()).isEqualTo(2);
    }

    @Test
    void silence_stillHoldsAfterRestart() {
        RecordingNotifier rec = new RecordingNotifier();
        AlertManager first = start(rec, hot());
        Silence s = first.silence(Silence.of("hot", "PUMP_002", T0.plus(Duration.ofHours(2)), "bob"));
        first.close();

        AlertManager second = start(rec, hot());
        assertThat(second.silences()).containsExactly(s);
        second.process(reading("PUMP_002", 95));
        assertThat(second.active()).singleElement()
                .satisfies(a -> assertThat(a.suppressed()).isEqualTo(Suppression.SILENCED));
        second.close();
        assertThat(rec.drain()).isEmpty();
    }

    @Test
    void ids_areNeverReused_evenAfterHistoryWasDeleted() {
        AlertManager first = start(new RecordingNotifier(), hot());
        first.process(reading("PUMP_001", 90));
        long id1 = first.active().get(0).id();
        first.resolve(id1, "carol");
        clock.advance(Duration.ofDays(2));
        assertThat(first.deleteHistoryBefore(clock.instant())).isEqualTo(1);
        assertThat(first.get(id1)).isEmpty();
        first.close();

        AlertManager second = start(new RecordingNotifier(), hot());
        second.process(reading("PUMP_003", 90));
        assertThat(second.active()).singleElement().satisfies(a -> assertThat(a.id()).isGreaterThan(id1));
        Silence s1 = second.silence(Silence.of(null, "PUMP_003", clock.instant().plusSeconds(60), "dan"));
        second.close();
        AlertManager third = start(new RecordingNotifier(), hot());
        Silence s2 = third.silence(Silence.of(null, "PUMP_003", clock.instant().plusSeconds(60), "dan"));
        assertThat(s2.id()).isGreaterThan(s1.id());
    }

    @Test
    void ruleEdits_survive_addedRuleCarriesItsValue_removedRuleStaysRemoved() {
        RecordingNotifier rec = new RecordingNotifier();
        AlertManager first = start(rec, hot());
        first.addRule(new ThresholdRule("pressure_high", "pressure", true, 11.0, Priority.HIGH, Duration.ZERO, null));
        assertThat(first.removeRule("hot")).isTrue();
        first.close();

        AlertManager second = start(rec, hot());
        assertThat(second.rules()).extracting(AlertRule::name).containsExactly("pressure_high");
        second.process(SensorReading.of("PUMP_001", clock.instant(), MOTOR, 70, 0.5, 0.4, 0.3, 12.5, 1800, 15, 220,
                0.95, 45));
        assertThat(second.active()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("pressure_high");
            assertThat(a.lastValue()).isEqualTo(12.5);
            assertThat(a.message()).isEqualTo("PUMP_001: pressure 12.5 above 11.0");
        });
        assertThat(store.ruleEdits()).extracting(RuleEdit::name).containsExactly("pressure_high", "hot");
    }

    @Test
    void cooldown_continuesAcrossRestart() throws Exception {
        RecordingNotifier rec = new RecordingNotifier();
        AlertManager first = start(rec, hot());
        first.process(reading("PUMP_001", 90));
        assertThat(rec.next().event()).isEqualTo(AlertNotification.Event.FIRED);
        first.resolve(first.active().get(0).id(), "erin");
        first.close();
        rec.drain();

        RecordingNotifier after = new RecordingNotifier();
        AlertManager second = start(after, hot());
        clock.advance(Duration.ofMinutes(5));
        second.process(reading("PUMP_001", 92));
        assertThat(second.active()).singleElement()
                .satisfies(a -> assertThat(a.suppressed()).isEqualTo(Suppression.COOLDOWN));
        second.close();
        assertThat(after.drain()).isEmpty();
    }

    @Test
    void reloadedAlert_ofAClearWhenFalseRule_waitsForItsColdTestToHoldBeforeClearing() {
        AlertRule sustained = AlertRule.named("hot_for_5m")
                .when(Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(5))).clearWhenFalse().build();
        AlertManager first = start(new RecordingNotifier(), sustained);
        for (int i = 0; i <= 6; i++) {
            first.process(reading("PUMP_001", 90));
            clock.advance(Duration.ofMinutes(1));
        }
        long id = first.active().get(0).id();
        first.close();

        AlertManager second = start(new RecordingNotifier(), sustained);
        second.process(reading("PUMP_001", 90));   // the cold test does not hold yet: no clear
        assertThat(second.get(id).orElseThrow().state()).isEqualTo(AlertState.ACTIVE);
        for (int i = 0; i <= 6; i++) {
            clock.advance(Duration.ofMinutes(1));
            second.process(reading("PUMP_001", 90));
        }
        clock.advance(Duration.ofMinutes(1));
        second.process(reading("PUMP_001", 70));   // held again, now stops: clears as before the restart
        assertThat(second.get(id).orElseThrow().resolution()).isEqualTo(Resolution.CLEARED);
    }
}
