package io.iotpm.alerts.rules;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertState;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.sim.Fleet;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DriftRulesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shiftedChannelOfASimulatedFleet_raisesTheDriftAlertOfThatChannelOnly_andClearsWhenItReturns() {
        Fleet fleet = Fleet.builder().devices(3).seed(21).failureProbability(0).start(T0)
                .interval(Duration.ofMinutes(5)).build();
        SensorSchema schema = fleet.simulators().get(0).schema();
        DriftReference ref = DriftReference.fromReadings(schema, fleet.history(Duration.ofDays(7)).toList());
        // A day and a half of the fleet in the window, so the daily load cycle averages out.
        DriftMonitor monitor = DriftMonitor.builder(ref).window(1_296).build();
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(7)));
        try (AlertManager manager = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO)
                .rules(DriftRules.of(monitor)).build()) {
            assertThat(manager.rules()).extracting(r -> r.name())
                    .contains("drift.temperature", "drift.voltage", "drift.noise").hasSize(schema.size());
            int voltage = schema.requireIndex("voltage");
            feed(fleet, monitor, manager, clock, voltage, 6, 2 * 288);

            List<Alert> open = manager.active();
            assertThat(open).extracting(Alert::rule).containsOnly("drift.voltage");
            assertThat(open).extracting(Alert::deviceId).containsExactlyInAnyOrderElementsOf(fleet.deviceIds());
            assertThat(open.get(0).message()).contains("input drift on voltage", "PSI above 0.20");
            assertThat(open.get(0).state()).isEqualTo(AlertState.ACTIVE);

            // The supply is back to normal: once the window has slid past the shift, its alerts clear. (Vibration
            // channels may drift by then: the simulated motors keep wearing after the training week.)
            feed(fleet, monitor, manager, clock, voltage, 0, 2 * 288);
            assertThat(manager.active()).extracting(Alert::rule).doesNotContain("drift.voltage");
            assertThat(manager.history(AlertQuery.all()))
                    .filteredOn(a -> a.rule().equals("drift.voltage"))
                    .hasSize(3).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.RESOLVED));
        }
    }

    private static void feed(Fleet fleet, DriftMonitor monitor, AlertManager manager, MutableClock clock,
                             int channel, double offset, int steps) {
        for (int step = 0; step < steps; step++) {
            for (SensorReading r : fleet.next()) {
                double[] v = r.values();
                v[channel] += offset;
                SensorReading shifted = SensorReading.of(r.deviceId(), r.timestamp(), r.schema(), v);
                clock.set(r.timestamp());
                monitor.onReading(shifted);
                manager.onReading(shifted);
            }
        }
    }
}
