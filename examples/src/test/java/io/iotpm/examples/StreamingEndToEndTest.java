package io.iotpm.examples;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.HistoryReplay;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.TimeSource;
import io.iotpm.core.stream.Topic;
import io.iotpm.examples.showcase.BaselinePredictor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming layer with the real memory storage backend of {@code iotpm-storage}. */
class StreamingEndToEndTest {

    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void simulatedFleet_throughHubAndPipeline_intoMemoryStorage_everyReadingStored_predictionsPerInterval()
            throws Exception {
        int devices = 20;
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(11).failureProbability(0.5)
                .interval(Duration.ofMinutes(1)).start(START).build();
        SensorSchema schema = fleet.simulators().get(0).schema();
        try (StreamHub hub = StreamHub.inMemory().capacity(256).build();
             StorageBackend storage = StorageBackends.open("memory:")) {
            List<Prediction> predictions = Collections.synchronizedList(new ArrayList<>());
            Subscription preds = hub.subscribe(Topic.PREDICTIONS, predictions::add);
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage)
                    .predictor(new BaselinePredictor(schema, 60)).predictEvery(Duration.ofMinutes(15))
                    .predictionBatchSize(devices).batchSize(250).build().start();
            // Six simulated hours at one step per simulated minute, paced in virtual time.
            FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).period(Duration.ofMinutes(1))
                    .steps(360).timeSource(TimeSource.virtual()).build().start();
            assertThat(streamer.awaitCompletion(Duration.ofSeconds(60))).isTrue();
            pipeline.close();
            assertThat(preds.awaitIdle(Duration.ofSeconds(30))).isTrue();

            PipelineMetrics m = pipeline.metrics();
            assertThat(m.readingsReceived()).isEqualTo(devices * 360L);
            assertThat(m.readingsStored()).isEqualTo(devices * 360L);
            assertThat(m.readingsLost() + m.readingsRejected() + m.storageErrors()).isZero();
            for (String id : fleet.deviceIds()) {
                assertThat(storage.count(id)).isEqualTo(360);
                List<SensorReading> all = storage.range(id, START, START.plus(Duration.ofHours(6)));
                assertThat(all).hasSize(360);
                for (int i = 0; i < all.size(); i++) {
                    assertThat(all.get(i).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(i)));
                }
            }
            // First full 60-reading window at minute 59, then every 15 minutes up to minute 359: 21 per device.
            Map<String, List<Prediction>> byDevice = predictions.stream()
                    .collect(Collectors.groupingBy(Prediction::deviceId));
            assertThat(byDevice).hasSize(devices);
            assertThat(byDevice.values()).allSatisfy(ps -> {
                assertThat(ps).hasSize(21);
                assertThat(ps.get(0).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(59)));
                assertThat(ps.get(20).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(359)));
            });
            assertThat(m.predictions()).isEqualTo(devices * 21L);

            // Replaying the stored history through another hub gives the same readings in time order.
            try (StreamHub replayHub = StreamHub.inMemory().build()) {
                List<SensorReading> replayed = Collections.synchronizedList(new ArrayList<>());
                Subscription s = replayHub.subscribe(Topic.READINGS, replayed::add);
                TimeSource virtual = TimeSource.virtual();
                long n = HistoryReplay.builder(storage, START, START.plus(Duration.ofHours(6))).speed(3600)
                        .timeSource(virtual).build().run(replayHub);
                assertThat(s.awaitIdle(Duration.ofSeconds(30))).isTrue();
                assertThat(n).isEqualTo(devices * 360L);
                assertThat(replayed).hasSize(devices * 360);
                assertThat(replayed).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));
                assertThat(virtual.nanoTime()).isEqualTo(Duration.ofMinutes(359).toNanos() / 3600);
            }
        }
    }
}
