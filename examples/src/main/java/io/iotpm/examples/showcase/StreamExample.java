package io.iotpm.examples.showcase;

import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.TimeSource;
import io.iotpm.core.stream.Topic;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Stream: simulated motors publish readings to an in-memory hub; a monitoring pipeline stores them
 * in batches and predicts each device's risk every simulated minute; a subscriber sees the
 * predictions. Virtual time runs a simulated hour in well under a second.
 */
public final class StreamExample {

    private StreamExample() {
    }

    /**
     * What went through the hub.
     *
     * @param published readings the streamer published
     * @param pipeline  the pipeline's counters (received, stored, predictions, errors)
     * @param risks     the risk levels the predictions subscriber saw
     */
    public record Result(long published, PipelineMetrics pipeline, Map<RiskLevel, Long> risks) {
    }

    /**
     * Streams {@code devices} motors for {@code seconds} simulated seconds, one reading per device per second.
     *
     * @param devices how many motors
     * @param seconds simulated seconds to stream
     * @param seed    the simulation's seed
     * @return what was published, stored and predicted
     * @throws InterruptedException if interrupted while waiting for the stream to finish
     */
    public static Result run(int devices, int seconds, long seed) throws InterruptedException {
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(0.5)
                .interval(Duration.ofSeconds(1)).start(Instant.parse("2026-01-01T00:00:00Z")).build();
        Map<RiskLevel, Long> risks = new EnumMap<>(RiskLevel.class);
        try (StreamHub hub = StreamHub.inMemory().capacity(8_192).overflow(Overflow.BLOCK).build();
             StorageBackend store = StorageBackends.open("memory:")) {
            // A live view may drop the oldest when it falls behind; storage never drops (the pipeline blocks).
            Subscription dashboard = hub.subscribe(Topic.PREDICTIONS, SubscriberOptions.builder().name("dashboard")
                    .overflow(Overflow.DROP_OLDEST).build(), (Prediction p) -> {
                        synchronized (risks) {
                            risks.merge(p.riskLevel(), 1L, Long::sum);
                        }
                    });
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store)
                    .predictor(new BaselinePredictor(SensorSchema.industrialMotor(), 60))
                    .predictEvery(Duration.ofMinutes(1)).batchSize(500)
                    .build().start();
            FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).period(Duration.ofSeconds(1))
                    .steps(seconds).timeSource(TimeSource.virtual()).build().start();
            streamer.awaitCompletion(Duration.ofMinutes(1));
            pipeline.close();                        // drains the hub, predicts, flushes the last batch
            dashboard.awaitIdle(Duration.ofSeconds(10));
            synchronized (risks) {
                return new Result(streamer.published(), pipeline.metrics(), new EnumMap<>(risks));
            }
        }
    }

    /**
     * Streams a simulated hour of five motors.
     *
     * @param args unused
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Result r = run(5, 3_600, 42);
        System.out.println(r.published() + " published, " + r.pipeline().readingsStored() + " stored, "
                + r.pipeline().predictions() + " predictions " + r.risks());
    }
}
