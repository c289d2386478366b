package io.iotpm.micrometer;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.sim.Fleet;
import io.iotpm.test.MutableClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DriftAndRetentionMetricsTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static List<SensorReading> fleet(long seed, int steps, String prefix) {
        Fleet fleet = Fleet.builder().devices(4).idPrefix(prefix).seed(seed).start(START).build();
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            out.addAll(fleet.next());
        }
        return out;
    }

    @Test
    void driftMeters_showPsiPerGroupAndChannelAndFollowARebase() {
        DriftMonitor monitor = DriftMonitor.builder(DriftReference.fromReadings(MOTOR, fleet(1, 500, "PUMP_")))
                .window(200).groupBy(id -> id.startsWith("PUMP_") ? "pumps" : "fans").maxGroups(1).build();
        try (DriftMetrics metrics = new DriftMetrics(monitor, Tags.of("monitor", "main"))) {
            metrics.bindTo(registry);
            assertThat(registry.find("iotpm.drift.psi").gauges()).isEmpty();

            fleet(2, 100, "PUMP_").forEach(monitor::onReading);
            fleet(3, 10, "FAN_").forEach(monitor::onReading);   // a second group: over the cap, dropped
            metrics.refresh();

            assertThat(registry.find("iotpm.drift.psi").gauges()).hasSize(MOTOR.channels().size());
            assertThat(registry.find("iotpm.drift.psi").tag("group", "fans").gauges()).isEmpty();
            String channel = MOTOR.channels().get(0).name();
            double psi = registry.get("iotpm.drift.psi").tags("monitor", "main", "group", "pumps", "channel", channel)
                    .gauge().value();
            assertThat(psi).isEqualTo(monitor.snapshots("pumps").get(0).psi()).isGreaterThanOrEqualTo(0);
            assertThat(registry.get("iotpm.drift.window.readings").tags("group", "pumps", "channel", channel)
                    .gauge().value()).isEqualTo(200);
            assertThat(registry.get("iotpm.drift.drifting").tags("group", "pumps", "channel", channel).gauge()
                    .value()).isEqualTo(monitor.drifting("PUMP_any", channel) ? 1 : 0);
            assertThat(registry.get("iotpm.drift.readings").tags("outcome", "taken").functionCounter().count())
                    .isEqualTo(400);
            assertThat(registry.get("iotpm.drift.readings").tags("outcome", "dropped").functionCounter().count())
                    .isEqualTo(40);
            assertThat(registry.get("iotpm.drift.threshold").gauge().value()).isEqualTo(DriftMonitor.DEFAULT_THRESHOLD);

            monitor.rebase(DriftReference.fromReadings(MOTOR, fleet(4, 500, "PUMP_")));
            metrics.refresh();
            assertThat(registry.find("iotpm.drift.psi").gauges()).isEmpty();
            assertThat(registry.find("iotpm.drift.threshold").gauges()).hasSize(1);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void retentionMeters_countRunsAndRemovalsPerTarget() {
        MutableClock clock = new MutableClock(START);
        AtomicLong readings = new AtomicLong(5);
        RetentionTask task = RetentionTask.builder().clock(clock)
                .target(Retainable.of("readings", before -> readings.getAndSet(0)), Duration.ofDays(1))
                .target(Retainable.of("events", before -> {
                    throw new IllegalStateException("events store is down");
                }), Duration.ofDays(1))
                .build();
        try (task; SnapshotMeters<?, ?> metrics = RetentionTaskMetrics.of(task)) {
            metrics.bindTo(registry);
            assertThat(registry.get("iotpm.retention.runs").functionCounter().count()).isZero();
            assertThat(registry.get("iotpm.retention.last.run").gauge().value()).isNaN();

            task.runOnce();
            assertThat(registry.get("iotpm.retention.runs").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("iotpm.retention.failures").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("iotpm.retention.removed").tags("target", "readings").functionCounter().count())
                    .isEqualTo(5);
            assertThat(registry.get("iotpm.retention.removed").tags("target", "events").functionCounter().count())
                    .isZero();
            assertThat(registry.get("iotpm.retention.last.run").gauge().value()).isEqualTo(START.getEpochSecond());
        }
    }

    @Test
    void of_adaptsAPlainMeterBinderWithItsRefreshAndClose() {
        AtomicLong refreshed = new AtomicLong();
        AtomicLong gaugeState = new AtomicLong(7);
        io.micrometer.core.instrument.binder.MeterBinder plain = r -> r.gauge("plain.value", gaugeState);
        try (IotpmMetrics metrics = IotpmMetrics.builder().binder(IotpmBinder.of(plain, refreshed::incrementAndGet,
                () -> registry.remove(registry.get("plain.value").gauge()))).build()) {
            metrics.bindTo(registry);
            metrics.refresh();
            assertThat(refreshed).hasValue(1);
            assertThat(registry.get("plain.value").gauge().value()).isEqualTo(7);
        }
        assertThat(registry.find("plain.value").gauges()).isEmpty();
    }
}
