package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStoreException;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.MutableClock;
import io.iotpm.test.alerts.FaultyAlertStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the manager does when its store refuses a write: a person's change is undone, ingest carries on. */
class AlertStoreFailureTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final AlertStore store = AlertStore.inMemory();
    final FaultyAlertStore faulty = new FaultyAlertStore(store);
    final AlertManager m = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO)
            .rule(AlertRule.named("hot").when(Condition.above("temperature", 85)).build()).store(faulty).build();

    @AfterEach
    void close() {
        m.close();
    }

    SensorReading reading(String device, double temperature) {
        return SensorReading.of(device, clock.instant(), MOTOR, temperature, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45);
    }

    @Test
    void acknowledge_thatTheStoreRefuses_isUndoneAndThrows() {
        m.process(reading("PUMP_001", 90));
        long id = m.active().get(0).id();
        faulty.failWrites(true);

        assertThatThrownBy(() -> m.acknowledge(id, "frank")).isInstanceOf(AlertStoreException.class)
                .hasMessageContaining("injected write failure");
        assertThat(m.get(id).orElseThrow().state()).isEqualTo(AlertState.ACTIVE);
        assertThat(store.get(id).orElseThrow().alert().acknowledgedBy()).isNull();
        assertThatThrownBy(() -> m.silence(Silence.of("hot", null, T0.plusSeconds(60), "frank")))
                .isInstanceOf(AlertStoreException.class);
        assertThat(m.silences()).isEmpty();
        assertThatThrownBy(() -> m.removeRule("hot")).isInstanceOf(AlertStoreException.class);
        assertThat(m.rules()).extracting(AlertRule::name).containsExactly("hot");

        faulty.failWrites(false);
        assertThat(m.acknowledge(id, "frank").acknowledgedBy()).isEqualTo("frank");
        assertThat(store.get(id).orElseThrow().alert().acknowledgedBy()).isEqualTo("frank");
    }

    @Test
    void raise_whileTheStoreIsDown_isKeptInMemory_andWrittenByTheSweepOnceItWorks() {
        m.process(reading("PUMP_001", 90));   // reserves a block of ids while the store works
        long first = m.active().get(0).id();
        faulty.failWrites(true);
        m.process(reading("PUMP_002", 90));
        long second = m.active().stream().filter(a -> a.deviceId().equals("PUMP_002")).findFirst().orElseThrow().id();
        assertThat(store.get(second)).isEmpty();
        m.tick();
        assertThat(m.stats().storeErrors()).isEqualTo(2);

        faulty.failWrites(false);
        m.tick();
        assertThat(store.get(second)).hasValueSatisfying(s -> assertThat(s.alert().deviceId()).isEqualTo("PUMP_002"));
        assertThat(second).isGreaterThan(first);
    }
}
