package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the pipeline's readings to storage on a thread of its own, so the hub's worker spends its
 * time on alerts and windows while the previous batch is written (in the MQTT fleet profile SQLite's
 * {@code step} was the largest native cost on the one pipeline thread). The hub's worker hands each
 * reading over with {@link #offer(SensorReading)}; the writer moves them into the
 * {@link StorageBatcher}, which decides when to write and retries failures. Readings are stored in
 * the order they were offered.
 *
 * <p>Back-pressure: while the handed-over and the batcher's readings together reach the pipeline's
 * limit (a failing storage), {@code offer} holds the hub's worker, so a BLOCK queue pushes back on
 * publishers; {@link #stopWaiting()} ends that at once. {@link #flush()} writes everything handed over
 * so far on the caller's thread, after any write under way.
 *
 * <p>Thread-safe. {@code handLock} guards the hand-over list and is held only briefly;
 * {@code storeLock} (the batcher's) guards the batcher and is held during a write. A thread holding
 * {@code storeLock} may take {@code handLock}, never the other way round.
 */
final class StorageWriter {

    // The pipeline's logger, so a host's log settings for MonitoringPipeline cover its parts.
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);
    // Bounds one back-pressure wait so that a missed signal costs little.
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final StorageBatcher batcher;
    private final ReentrantLock storeLock;
    private final PipelineCounters counters;
    private final Ticker ticker;
    private final int batchSize;
    private final int maxBuffered;
    private final long tickNanos;
    private final ReentrantLock handLock = new ReentrantLock();
    private final Condition work = handLock.newCondition();
    private final Condition room = handLock.newCondition();

    // Guarded by handLock.
    private List<SensorReading> handoff = new ArrayList<>();
    // Taken from the hand-over list but maybe not yet in the batcher: still counted as pending.
    private int inTransit;
    private boolean running;
    private volatile boolean stopWaiting;
    private Thread thread;

    /**
     * @param batcher   the batcher, whose lock is {@code storeLock}
     * @param tickNanos longest sleep of the writer between two looks at the batch time and retries
     */
    StorageWriter(String name, StorageBatcher batcher, ReentrantLock storeLock, PipelineCounters counters,
                  Ticker ticker, int batchSize, int maxBuffered, long tickNanos) {
        this.name = name;
        this.batcher = batcher;
        this.storeLock = storeLock;
        this.counters = counters;
        this.ticker = ticker;
        this.batchSize = batchSize;
        this.maxBuffered = maxBuffered;
        this.tickNanos = tickNanos;
    }

    /** Starts the writer thread. */
    void start(ThreadFactory threads) {
        handLock.lock();
        try {
            running = true;
            thread = threads.newThread(this::run);
        } finally {
            handLock.unlock();
        }
        thread.start();
    }

    /**
     * Hands a reading over for storage, first waiting while the pipeline holds its limit of unstored
     * readings (unless {@link #stopWaiting()} was called). An interrupt ends the wait, not the hand-over:
     * the reading is taken all the same and the thread's interrupt flag is set again.
     */
    void offer(SensorReading r) {
        handLock.lock();
        try {
            // inTransit too: readings on their way into the batcher are in neither of the other two yet.
            while (!stopWaiting && handoff.size() + inTransit + counters.pending >= maxBuffered) {
                try {
                    room.awaitNanos(MAX_WAIT_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            handoff.add(r);
            counters.handedOver = handoff.size() + inTransit;
            if (handoff.size() == batchSize) {
                work.signal();
            }
        } finally {
            handLock.unlock();
        }
    }

    /** Moves the handed-over readings into the batcher; store lock held. */
    private void takeOver() {
        List<SensorReading> taken;
        handLock.lock();
        try {
            taken = handoff;
            handoff = new ArrayList<>(Math.max(16, taken.size()));
            inTransit = taken.size();
        } finally {
            handLock.unlock();
        }
        // Store lock held: the only writer of `moving`.
        counters.moving++;
        try {
            batcher.addAll(taken);
            handLock.lock();
            try {
                // Only now, so that the pending count never dips while readings move.
                inTransit = 0;
                counters.handedOver = handoff.size();
            } finally {
                handLock.unlock();
            }
        } finally {
            counters.moving++;
        }
    }

    private void roomMade() {
        handLock.lock();
        try {
            room.signalAll();
        } finally {
            handLock.unlock();
        }
    }

    private void run() {
        while (awaitWork()) {
            storeLock.lock();
            try {
                takeOver();
                batcher.flushIfFull();
                batcher.flushIfWaited(ticker.nanoTime());
            } catch (RuntimeException e) {
                LOG.error("pipeline '{}': storage writer step failed", name, e);
            } finally {
                storeLock.unlock();
            }
            roomMade();
        }
    }

    /** @return false once closed; otherwise after a batch was handed over or a tick passed */
    private boolean awaitWork() {
        handLock.lock();
        try {
            if (running && handoff.size() < batchSize) {
                work.awaitNanos(tickNanos);
            }
            return running;
        } catch (InterruptedException e) {
            return false;
        } finally {
            handLock.unlock();
        }
    }

    /**
     * Writes everything handed over so far, now, on the caller's thread.
     *
     * @return whether nothing is left unstored (false while the storage is failing)
     */
    boolean flush() {
        storeLock.lock();
        try {
            takeOver();
            batcher.flush();
            return batcher.isEmpty();
        } finally {
            storeLock.unlock();
            roomMade();
        }
    }

    /** Ends every back-pressure wait, now and later. */
    void stopWaiting() {
        stopWaiting = true;
        roomMade();
    }

    /**
     * Stops the writer thread (after the write under way) and writes what is left, retrying a
     * failing storage until {@code deadline} (ticker time); what is still unstored then is lost.
     */
    void close(long deadline) {
        Thread t;
        handLock.lock();
        try {
            running = false;
            work.signal();
            t = thread;
        } finally {
            handLock.unlock();
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
                if (t.isAlive()) {
                    LOG.warn("pipeline '{}': storage writer thread did not stop", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        storeLock.lock();
        try {
            takeOver();
            batcher.drain(deadline);
        } finally {
            storeLock.unlock();
        }
    }
}
