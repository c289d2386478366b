package io.iotpm.core.pipeline;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.time.Backoff;
import io.iotpm.core.time.Ticker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage writer without its thread: hand-over, back-pressure and interrupts. */
class StorageWriterTest {

    private final TestStorage storage = new TestStorage(SensorSchema.industrialMotor());
    private final PipelineCounters counters = new PipelineCounters();
    private final SensorSimulator sim = SensorSimulator.builder().deviceId("PUMP_001").seed(5).build();

    private StorageWriter writer(int batchSize, int maxBuffered) {
        ReentrantLock storeLock = new ReentrantLock();
        StorageBatcher batcher = new StorageBatcher("test", storage, counters, Ticker.system(),
                Backoff.builder(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(1)).build(), batchSize,
                Duration.ofHours(1).toNanos(), maxBuffered, storeLock);
        return new StorageWriter("test", batcher, storeLock, counters, Ticker.system(), batchSize, maxBuffered,
                Duration.ofMillis(10).toNanos());
    }

    @Test
    void interruptedWhileWaitingForRoom_theReadingIsStillTaken_andTheFlagIsSetAgain() {
        storage.failNext.set(Integer.MAX_VALUE);
        StorageWriter w = writer(2, 2);
        w.offer(sim.next());
        w.offer(sim.next());
        assertThat(w.flush()).isFalse();              // the storage is down: both stay, the limit is reached
        Thread.currentThread().interrupt();
        try {
            w.offer(sim.next());                      // would wait for room; the interrupt ends the wait
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(counters.snapshot().readingsPending()).isEqualTo(3);
        storage.failNext.set(0);
        w.close(Ticker.system().nanoTime() + Duration.ofSeconds(5).toNanos());
        assertThat(storage.total()).isEqualTo(3);
        assertThat(counters.snapshot().readingsPending()).isZero();
    }

    @Test
    void stopWaiting_letsEveryOfferThroughAtOnce() {
        storage.failNext.set(Integer.MAX_VALUE);
        StorageWriter w = writer(1, 1);
        w.offer(sim.next());
        w.flush();
        w.stopWaiting();
        w.offer(sim.next());
        w.offer(sim.next());
        assertThat(counters.snapshot().readingsPending()).isEqualTo(3);
    }
}
