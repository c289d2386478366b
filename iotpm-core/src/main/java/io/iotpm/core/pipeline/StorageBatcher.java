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
 * The {@link StorageWriter} calls it from its thread and holds back the hub while it is full.
 *
 * <p>Not thread-safe: every method runs with the writer's store lock held.
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
    // Waited on between retries while draining at close.
    private final Condition changed;

    private List<SensorReading> buffer = new ArrayList<>();
    private long bufferSince;
    private int consecutiveFailures;
    private long nextAttempt;

    /**
     * @param lock the store lock, held by every caller
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

    /** Adds readings in their order; the batch time of the oldest starts now if the buffer was empty. */
    void addAll(List<SensorReading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        if (buffer.isEmpty()) {
            bufferSince = ticker.nanoTime();
        }
        buffer.addAll(readings);
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

    /**
     * Writes the buffer now in batches of at most the batch size (the buffer outgrows one while a
     * write is under way or the storage fails); on a failure keeps what is unstored, in order, and
     * schedules the retry.
     */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<SensorReading> all = buffer;
        buffer = new ArrayList<>();
        int from = 0;
        List<SensorReading> kept = List.of();
        while (from < all.size() && kept.isEmpty()) {
            int to = Math.min(all.size(), from + batchSize);
            kept = write(new ArrayList<>(all.subList(from, to)), all.size() - to);
            from = to;
        }
        if (!kept.isEmpty() || from < all.size()) {
            buffer = new ArrayList<>(kept.size() + all.size() - from);
            buffer.addAll(kept);
            buffer.addAll(all.subList(from, all.size()));
            bufferSince = ticker.nanoTime();
        }
        counters.pending = buffer.size();
    }

    /**
     * Writes one batch.
     *
     * @param after readings waiting behind it, for the log
     * @return the readings to retry, in order (empty when each was stored or rejected)
     */
    private List<SensorReading> write(List<SensorReading> batch, int after) {
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
            recovered();
            return List.of();
        } catch (IllegalArgumentException e) {
            // The batch holds a reading this store refuses; nothing of it was stored. Find it.
            counters.storageErrors.incrementAndGet();
            return writeOneByOne(batch, after);
        } catch (RuntimeException e) {
            counters.storageErrors.incrementAndGet();
            failed(e, batch.size() + after);
            return batch;
        }
    }

    private List<SensorReading> writeOneByOne(List<SensorReading> batch, int after) {
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
        if (outage != null) {
            failed(outage, keep.size() + after);
        } else {
            recovered();
        }
        return keep;
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
