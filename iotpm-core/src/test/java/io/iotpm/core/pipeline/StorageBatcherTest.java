package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.time.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage batcher on a ticker moved by hand: no sleeping, no timer thread. */
class StorageBatcherTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final long MS = 1_000_000L;

    private final TestStorage storage = new TestStorage(MOTOR);
    private final PipelineCounters counters = new PipelineCounters();
    private final AtomicLong now = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final SensorSimulator sim = SensorSimulator.builder().deviceId("PUMP_001").seed(3).build();

    @AfterEach
    void unlock() {
        while (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    private StorageBatcher batcher(int batchSize, Duration batchTime, int maxBuffered, Backoff backoff) {
        lock.lock();
        return new StorageBatcher("test", storage, counters, now::get, backoff, batchSize, batchTime.toNanos(),
                maxBuffered, lock);
    }

    private static Backoff backoff(long firstMillis, long maxMillis) {
        return Backoff.builder(Duration.ofMillis(firstMillis)).maxDelay(Duration.ofMillis(maxMillis)).build();
    }

    private SensorReading next() {
        return sim.next();
    }

    @Test
    void flushIfWaited_writesOnceTheOldestReadingHasWaitedTheBatchTime_onTheTickersTime() {
        StorageBatcher b = batcher(1000, Duration.ofSeconds(1), 10_000, backoff(100, 1000));
        b.add(next());
        now.set(400 * MS);
        b.add(next());
        b.flushIfWaited(now.get() + 599 * MS);
        assertThat(storage.total()).isZero();
        b.flushIfWaited(1000 * MS);
        assertThat(storage.batchSizes()).containsExactly(2);
        assertThat(counters.snapshot().readingsPending()).isZero();
    }

    @Test
    void failingStorage_isRetriedOnTheBackoffSchedule_andNothingIsLost() {
        storage.failNext.set(3);
        StorageBatcher b = batcher(1, Duration.ofHours(1), 10_000, backoff(100, 250));
        b.add(next());
        b.flushIfFull();                       // fails: retry at 100 ms
        long[] quietUntil = {99, 299, 549};    // then 100 + 200, then 300 + 250 (capped)
        long[] retryAt = {100, 300, 550};
        for (int i = 0; i < retryAt.length; i++) {
            now.set(quietUntil[i] * MS);
            int calls = storage.calls.get();
            b.flushIfFull();
            assertThat(storage.calls.get()).as("no call before %d ms", retryAt[i]).isEqualTo(calls);
            now.set(retryAt[i] * MS);
            b.flushIfFull();
            assertThat(storage.calls.get()).as("a call at %d ms", retryAt[i]).isEqualTo(calls + 1);
        }
        PipelineMetrics m = counters.snapshot();
        assertThat(m.storageErrors()).isEqualTo(3);
        assertThat(m.readingsStored()).isEqualTo(1);
        assertThat(storage.total()).isEqualTo(1);
    }

    @Test
    void drain_countsWhatIsStillUnstoredAtTheDeadlineAsLost() {
        storage.failNext.set(Integer.MAX_VALUE);
        StorageBatcher b = batcher(1000, Duration.ofHours(1), 10_000, backoff(100, 100));
        b.add(next());
        b.add(next());
        b.drain(now.get());
        PipelineMetrics m = counters.snapshot();
        assertThat(m.readingsLost()).isEqualTo(2);
        assertThat(m.readingsPending()).isZero();
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void flush_writesAnOvergrownBufferInBatchesOfAtMostTheBatchSize_keepingOrderWhenOneFails() {
        StorageBatcher b = batcher(4, Duration.ofHours(1), 10_000, backoff(100, 100));
        for (int i = 0; i < 10; i++) {
            b.add(next());
        }
        b.flush();
        assertThat(storage.batchSizes()).containsExactly(4, 4, 2);

        for (int i = 0; i < 10; i++) {
            b.add(next());
        }
        storage.failNext.set(1);
        b.flush();                             // the first batch fails: all ten stay, in order
        assertThat(counters.snapshot().readingsPending()).isEqualTo(10);
        now.set(100 * MS);
        b.flush();
        assertThat(storage.batchSizes()).containsExactly(4, 4, 2, 4, 4, 2);
        assertThat(storage.all("PUMP_001")).extracting(SensorReading::timestamp).isSorted().hasSize(20);
    }
}
