package io.iotpm.core.pipeline;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline measures waiting with its injected ticker, and close() never waits out a retry delay. */
class MonitoringPipelineTickerTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();

    private final StreamHub hub = StreamHub.inMemory().capacity(1024).build();
    private final TestStorage storage = new TestStorage(MOTOR);

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static FleetStreamer streamer(StreamHub hub, int devices) {
        return FleetStreamer.builder(hub).fleet(Fleet.builder().devices(devices).idPrefix("PUMP_").seed(7)
                .start(Instant.parse("2026-03-01T00:00:00Z")).interval(Duration.ofMinutes(1)).build()).build();
    }

    @Test
    void batchTime_isMeasuredWithTheInjectedTicker() throws Exception {
        // A frozen ticker whose every read is a permit: the timer thread reads it once per tick.
        Semaphore reads = new Semaphore(0);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(1_000_000)
                .batchTime(Duration.ofMillis(1)).ticker(() -> {
                    reads.release();
                    return 42;
                }).build().start();
        streamer(hub, 2).advance(10);
        assertThat(pipeline.subscription().awaitIdle(Duration.ofSeconds(30))).isTrue();
        reads.drainPermits();
        // Two more reads mean at least one whole timer tick ran with all 20 readings buffered.
        assertThat(reads.tryAcquire(2, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(storage.total()).isZero();
        pipeline.close();
        assertThat(storage.batchSizes()).containsExactly(20);
    }

    @Test
    void close_doesNotWaitOutTheRetryDelayOfABackPressuredReading() throws Exception {
        storage.failNext.set(Integer.MAX_VALUE);
        CountDownLatch tenth = new CountDownLatch(10);
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchSize(5)
                .maxBufferedReadings(10).retryBackoff(Duration.ofHours(1), Duration.ofHours(1))
                .closeTimeout(Duration.ZERO)
                .listener(new MonitoringListener() {
                    @Override
                    public void onReading(SensorReading reading) {
                        tenth.countDown();
                    }
                }).build().start();
        streamer(hub, 1).advance(10);
        assertThat(tenth.await(30, TimeUnit.SECONDS)).isTrue();
        // A liveness bound, not a timing claim: waiting out the retry delay would take an hour.
        assertThat(java.util.concurrent.CompletableFuture.runAsync(pipeline::close))
                .succeedsWithin(Duration.ofSeconds(60));
        PipelineMetrics m = pipeline.metrics();
        assertThat(m.readingsLost()).isEqualTo(10);
        assertThat(m.readingsStored() + m.readingsPending() + m.readingsRejected() + m.readingsLost())
                .isEqualTo(m.readingsReceived());
    }

    @Test
    void ticker_isRequired() {
        assertThatThrownBy(() -> MonitoringPipeline.builder().ticker(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ticker");
    }
}
