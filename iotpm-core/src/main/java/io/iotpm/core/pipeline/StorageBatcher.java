package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.time.Backoff;
import io.iotpm.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers readings for the {@link StorageBackend} and writes them with {@code appendAll} in batches.
 * A failing write keeps the batch and is retried after the {@link Backoff} delay of the number of
 * failures in a row. A batch the storage refuses as invalid ({@link IllegalArgumentException}) is
 * written again reading by reading, so only the invalid readings are dropped (counted and logged).
 * While the buffer is at its limit, {@link #awaitRoom()} holds the caller (the hub's worker) so the
 * hub pushes back on publishers; {@link #stopWaiting()} releases it at once.
 *
 * <p>Not thread-safe: every method but {@link #stopWaiting()} runs with the pipeline's lock held.
 */
final class StorageBatcher {

    // The pipeline's logger, so a host's log settings for MonitoringPipeline cover its parts.
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);
    // Bounds one wait so that a ticker other than the system one (e.g. moved by hand) is re-read.
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final StorageBackend storage;
    private final PipelineCounters counters;
    private final Ticker ticker;
    private final Backoff backoff;
    private final int batchSize;
    private final long batchTimeNanos;
    private final int maxBuffered;
    private final ReentrantLock lock;
    // Signalled when the buffer shrinks or the pipeline closes, to end a back-pressure wait early.
    private final Condition changed;
    private volatile boolean stopWaiting;

    private List<SensorReading> buffer = new ArrayList<>();
    private long bufferSince;
    private int consecutiveFailures;
    private long nextAttempt;

    /**
     * @param lock the pipeline's lock, held by every caller but {@link #stopWaiting()}
     */
    StorageBatcher(String name, StorageBackend storage, PipelineCounters counters, Ticker ticker, Backoff backoff,
                   int batchSize, long batchTimeNanos, int maxBuffered, ReentrantLock lock) {
        this.name = name;
        this.storage = storage;
        this.counters = counters;
        this.ticker = ticker;
        this.backoff = backoff;
        this.batchSize = batchSize;
        this.batchTimeNanos = batchTimeNanos;
        this.maxBuffered = maxBuffered;
        this.lock = lock;
        this.changed = lock.newCondition();
        this.nextAttempt = ticker.nanoTime();
    }

    void add(SensorReading r) {
        if (buffer.isEmpty()) {
            bufferSince = ticker.nanoTime();
        }
        buffer.add(r);
        counters.pending = buffer.size();
    }

    /** Writes the buffer if it holds a whole batch and no retry delay is running. */
    void flushIfFull() {
        if (buffer.size() >= batchSize && ticker.nanoTime() - nextAttempt >= 0) {
            flush();
        }
    }

    /** Writes the buffer if its oldest reading has waited the batch time at {@code now} (ticker time). */
    void flushIfWaited(long now) {
        if (!buffer.isEmpty() && now - bufferSince >= batchTimeNanos && now - nextAttempt >= 0) {
            flush();
        }
    }

    boolean isEmpty() {
        return buffer.isEmpty();
    }

    /** Writes the buffer now; on failure keeps it and schedules the retry. */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<SensorReading> batch = buffer;
        long start = ticker.nanoTime();
        try {
            try {
                storage.appendAll(batch);
            } finally {
                counters.storageWrites.record(ticker.nanoTime() - start);
            }
            counters.storageBatchSizes.record(batch.size());
            counters.stored.addAndGet(batch.size());
            counters.storageBatches.incrementAndGet();
            buffer = new ArrayList<>();
            recovered();
        } catch (IllegalArgumentException e) {
            // The batch holds a reading this store refuses; nothing of it was stored. Find it.
            counters.storageErrors.incrementAndGet();
            writeOneByOne(batch);
        } catch (RuntimeException e) {
            counters.storageErrors.incrementAndGet();
            failed(e, batch.size());
        }
        if (!buffer.isEmpty()) {
            bufferSince = ticker.nanoTime();
        }
        if (buffer.size() < batch.size()) {
            changed.signalAll();
        }
        counters.pending = buffer.size();
    }

    private void writeOneByOne(List<SensorReading> batch) {
        List<SensorReading> keep = new ArrayList<>();
        RuntimeException outage = null;
        for (SensorReading r : batch) {
            if (outage != null) {
                keep.add(r);
                continue;
            }
            long start = ticker.nanoTime();
            try {
                try {
                    storage.append(r);
                } finally {
                    counters.storageWrites.record(ticker.nanoTime() - start);
                }
                counters.stored.incrementAndGet();
            } catch (IllegalArgumentException bad) {
                counters.rejected.incrementAndGet();
                LOG.warn("pipeline '{}': storage rejected a reading of device '{}' at {}: {}", name,
                        r.deviceId(), r.timestamp(), bad.getMessage());
            } catch (RuntimeException other) {
                outage = other;
                keep.add(r);
            }
        }
        buffer = keep;
        if (outage != null) {
            failed(outage, keep.size());
        } else {
            recovered();
        }
    }

    private void failed(RuntimeException e, int waiting) {
        consecutiveFailures++;
        long delay = backoff.delay(consecutiveFailures).toNanos();
        nextAttempt = ticker.nanoTime() + delay;
        if (consecutiveFailures == 1 || consecutiveFailures % 10 == 0) {
            LOG.warn("pipeline '{}': storage failed ({} in a row), {} readings kept for retry in {} ms: {}",
                    name, consecutiveFailures, waiting, delay / 1_000_000, e.toString());
        }
    }

    private void recovered() {
        if (consecutiveFailures > 0) {
            LOG.info("pipeline '{}': storage recovered after {} failures", name, consecutiveFailures);
        }
        consecutiveFailures = 0;
        nextAttempt = ticker.nanoTime();
    }

    /**
     * Back-pressure: while the storage is down and the buffer is at its limit, holds the caller
     * (retrying the storage when its delay is up) so the hub's BLOCK queue pushes back on publishers
     * instead of the buffer growing without bound. Returns at once after {@link #stopWaiting()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitRoom() throws InterruptedException {
        while (buffer.size() >= maxBuffered && !stopWaiting) {
            long wait = nextAttempt - ticker.nanoTime();
            if (wait > 0) {
                changed.awaitNanos(Math.min(wait, MAX_WAIT_NANOS));
            } else {
                flush();
            }
        }
    }

    /** Ends every back-pressure wait, now and later; called without the lock when the pipeline closes. */
    void stopWaiting() {
        stopWaiting = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the buffer, retrying a failing storage until {@code deadline} (ticker time); what is
     * still buffered then is counted as lost. An interrupt ends the retries at once.
     */
    void drain(long deadline) {
        while (!buffer.isEmpty()) {
            long now = ticker.nanoTime();
            if (now - deadline >= 0) {
                counters.lost.addAndGet(buffer.size());
                LOG.error("pipeline '{}': storage still failing at close; {} readings were not stored",
                        name, buffer.size());
                buffer = new ArrayList<>();
                counters.pending = 0;
                return;
            }
            if (now - nextAttempt >= 0) {
                flush();
            } else {
                try {
                    changed.awaitNanos(Math.min(Math.min(nextAttempt - now, deadline - now), MAX_WAIT_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    deadline = now;
                }
            }
        }
    }
}
