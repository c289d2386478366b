package io.iotpm.micrometer;

import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.metrics.AlertCounts;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.storage.memory.MemoryStorage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class IotpmMetricsTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamHub hub = StreamHub.inMemory().capacity(1024).build();
    private final MemoryStorage storage = MemoryStorage.builder().build();

    @AfterEach
    void tearDown() {
        hub.close();
        storage.close();
    }

    /** Says every window is fine, as model "test-v1". */
    private static final class FixedPredictor implements Predictor {
        @Override
        public SensorSchema schema() {
            return MOTOR;
        }

        @Override
        public int sequenceLength() {
            return 5;
        }

        @Override
        public Prediction predict(String deviceId, List<SensorReading> window) {
            return new Prediction(deviceId, window.get(window.size() - 1).timestamp(), 0.1, RiskLevel.LOW, false,
                    Double.NaN, "test-v1");
        }
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void pipelineStorageAndPredictorMeters_followThePipelinesSnapshot() throws Exception {
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage)
                .predictor(new FixedPredictor()).predictEveryReadings(1).batchSize(10)
                .batchTime(Duration.ofMillis(10)).predictionDelay(Duration.ofMillis(10)).build().start();
        try (IotpmMetrics metrics = IotpmMetrics.builder().hub(hub).pipeline(pipeline, "main").build()) {
            metrics.bindTo(registry);
            Fleet fleet = Fleet.builder().devices(2).idPrefix("PUMP_").seed(7).start(START)
                    .interval(Duration.ofMinutes(1)).build();
            List<SensorReading> readings = fleet.history(Duration.ofMinutes(20)).toList();
            readings.forEach(hub::publish);
            // flush() writes only what the hub has handed over so far: wait for all of it first.
            assertThat(pipeline.subscription().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.flush()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.metrics().predictions() == readings.size() - 2 * 4
                    && pipeline.metrics().readingsStored() == readings.size());
            metrics.refresh();

            assertThat(counter("iotpm.pipeline.readings.received", "pipeline", "main")).isEqualTo(readings.size());
            assertThat(counter("iotpm.pipeline.readings", "pipeline", "main", "outcome", "stored"))
                    .isEqualTo(readings.size());
            assertThat(counter("iotpm.pipeline.readings", "outcome", "rejected")).isZero();
            assertThat(counter("iotpm.pipeline.readings", "outcome", "lost")).isZero();
            assertThat(counter("iotpm.pipeline.predictions")).isEqualTo(readings.size() - 8);
            assertThat(registry.get("iotpm.pipeline.devices").gauge().value()).isEqualTo(2);

            FunctionTimer writes = registry.get("iotpm.storage.writes").functionTimer();
            assertThat(writes.count()).isGreaterThanOrEqualTo(1);
            assertThat(writes.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            double batches = counter("iotpm.storage.batches");
            assertThat(batches).isEqualTo(writes.count());
            assertThat(counter("iotpm.storage.batch.readings")).isEqualTo(readings.size());
            assertThat(registry.get("iotpm.storage.batch.size.max").gauge().value()).isBetween(1.0, 10.0);
            assertThat(registry.get("iotpm.storage.writes.max").timeGauge().value(TimeUnit.NANOSECONDS)).isPositive();

            FunctionTimer calls = registry.get("iotpm.predictor.calls").functionTimer();
            assertThat(calls.count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("iotpm.pipeline.prediction.latency").functionTimer().count())
                    .as("one latency per batch, one predictBatch call per batch").isEqualTo(calls.count());
            assertThat(registry.get("iotpm.predictor.model").tag("version", "test-v1").gauge().value()).isEqualTo(1);

            Subscription sub = pipeline.subscription();
            assertThat(counter("iotpm.hub.messages", "topic", Topic.READINGS.name(), "subscriber", sub.name(),
                    "outcome", "delivered")).isEqualTo(readings.size());
            assertThat(registry.get("iotpm.hub.lag").tag("subscriber", sub.name()).gauge().value()).isZero();
        } finally {
            pipeline.close();
        }
        assertThat(registry.getMeters()).as("close() removes every meter").isEmpty();
    }

    @Test
    void hubMeters_followSubscribersThatComeAndGo() {
        try (StreamHubMetrics metrics = new StreamHubMetrics(hub, List.of())) {
            metrics.bindTo(registry);
            assertThat(registry.getMeters()).isEmpty();
            Subscription slow = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("dashboard").build(),
                    r -> { });
            metrics.refresh();
            assertThat(registry.find("iotpm.hub.queue.capacity").tag("subscriber", "dashboard").gauge()).isNotNull();
            assertThat(registry.get("iotpm.hub.messages").tag("subscriber", "dashboard").functionCounters())
                    .extracting(m -> m.getId().getTag("outcome")).containsExactlyInAnyOrder("delivered", "failed",
                            "dropped");
            slow.close();
            metrics.refresh();
            assertThat(registry.find("iotpm.hub.lag").tag("subscriber", "dashboard").gauge()).isNull();
        }
    }

    @Test
    void alertMeters_countByPriorityAndNotifierOutcome_andAddLateNotifiers() {
        AtomicReference<AlertCounts> counts = new AtomicReference<>(new AlertCounts(
                Map.of("LOW", 1L, "HIGH", 3L), Map.of("LOW", 1L, "HIGH", 0L),
                List.of(new AlertCounts.NotifierCounts("log", 4, 0, 0, 0, 0))));
        AlertMetrics<AtomicReference<AlertCounts>> metrics = new AlertMetrics<>(counts, AtomicReference::get);
        metrics.bindTo(registry);
        assertThat(counter("iotpm.alerts.fired", "priority", "HIGH")).isEqualTo(3);
        assertThat(counter("iotpm.alerts.resolved", "priority", "LOW")).isEqualTo(1);
        assertThat(counter("iotpm.alerts.notifications", "notifier", "log", "outcome", "sent")).isEqualTo(4);

        counts.set(new AlertCounts(Map.of("LOW", 1L, "HIGH", 5L), Map.of("LOW", 1L, "HIGH", 2L),
                List.of(new AlertCounts.NotifierCounts("log", 6, 0, 0, 0, 0),
                        new AlertCounts.NotifierCounts("webhook", 1, 2, 3, 0, 4))));
        metrics.refresh();
        assertThat(counter("iotpm.alerts.fired", "priority", "HIGH")).isEqualTo(5);
        assertThat(counter("iotpm.alerts.notifications", "notifier", "webhook", "outcome", "failed")).isEqualTo(2);
        assertThat(counter("iotpm.alerts.notification.retries", "notifier", "webhook")).isEqualTo(3);
        assertThat(registry.get("iotpm.alerts.notifications.queued").tag("notifier", "webhook").gauge().value())
                .isEqualTo(4);
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void snapshotMeters_isTheExtensionPoint_andRefusesASecondBinding() {
        record BridgeMetrics(long received, boolean connected) {
        }
        AtomicReference<BridgeMetrics> bridge = new AtomicReference<>(new BridgeMetrics(7, true));
        SnapshotMeters<AtomicReference<BridgeMetrics>, BridgeMetrics> meters = SnapshotMeters
                .of(bridge, AtomicReference::get).tags("broker", "plant-1")
                .counter("iotpm.mqtt.messages.received", "MQTT messages taken", BridgeMetrics::received)
                .gauge("iotpm.mqtt.connected", "1 while connected", null, m -> m.connected() ? 1 : 0)
                .build();
        meters.bindTo(registry);
        bridge.set(new BridgeMetrics(9, false));
        assertThat(counter("iotpm.mqtt.messages.received", "broker", "plant-1")).isEqualTo(9);
        assertThat(registry.get("iotpm.mqtt.connected").gauge().value()).isZero();
        assertThatThrownBy(() -> meters.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already bound");
        assertThatThrownBy(() -> SnapshotMeters.of(bridge, AtomicReference::get).tags("odd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but got 1");
        List<Meter> all = registry.getMeters();
        assertThat(all).hasSize(2).allSatisfy(m -> assertThat(m).isInstanceOfAny(FunctionCounter.class, Gauge.class));
    }
}
