package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * After a hub reassigned devices (a Kafka rebalance), the first reading of each device rebuilds
 * that device's window from storage and learns the newest stored timestamp; readings up to it are
 * redeliveries of readings some pipeline already stored, alerted on and predicted from, so they are
 * skipped: stored once, never alerted twice. Until the first reassignment it does nothing, so a
 * pipeline on the in-memory hub pays one volatile read per reading.
 *
 * <p>{@link #alreadyStored(SensorReading)} takes the pipeline's lock, since it primes the scheduler.
 */
final class RedeliveryGuard {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);

    private final String name;
    private final StorageBackend storage;
    private final PredictionScheduler scheduler;
    private final int history;
    private final AtomicLong skipped = new AtomicLong();
    // Device -> newest stored timestamp seen at its first reading since the last reassignment
    // (Instant.MIN when it had none). Guarded by the pipeline's lock.
    private final Map<String, Instant> marks = new HashMap<>();
    private volatile boolean active;
    private volatile boolean reset;
    private final ReentrantLock lock;

    /**
     * @param scheduler the pipeline's scheduler whose windows are rebuilt, or {@code null}
     * @param history   readings to load per device (the predictor's window, at least 1)
     * @param lock      the pipeline's lock
     */
    RedeliveryGuard(String name, StorageBackend storage, PredictionScheduler scheduler, int history,
                    ReentrantLock lock) {
        this.lock = lock;
        this.name = name;
        this.storage = storage;
        this.scheduler = scheduler;
        this.history = Math.max(1, history);
    }

    /** The devices changed: every device's state is rebuilt at its next reading. Any thread. */
    void reassigned() {
        reset = true;
        active = true;
    }

    /** @return whether the guard may skip readings: only after a reassignment */
    boolean active() {
        return active;
    }

    /**
     * @param r the reading the hub delivered
     * @return whether storage already holds a reading of its device at or after its time
     */
    boolean alreadyStored(SensorReading r) {
        lock.lock();
        try {
            return check(r);
        } finally {
            lock.unlock();
        }
    }

    private boolean check(SensorReading r) {
        if (reset) {
            reset = false;
            marks.clear();
        }
        Instant mark = marks.get(r.deviceId());
        if (mark == null) {
            mark = rebuild(r.deviceId());
            marks.put(r.deviceId(), mark);
        }
        if (r.timestamp().isAfter(mark)) {
            return false;
        }
        skipped.incrementAndGet();
        return true;
    }

    private Instant rebuild(String deviceId) {
        List<SensorReading> newestFirst;
        try {
            newestFirst = storage.latest(deviceId, history);
        } catch (RuntimeException e) {
            // Without the stored state a redelivery may be handled twice; still better than stopping.
            LOG.warn("pipeline '{}': cannot rebuild the state of device '{}' from storage: {}", name, deviceId,
                    e.toString());
            return Instant.MIN;
        }
        if (newestFirst.isEmpty()) {
            return Instant.MIN;
        }
        if (scheduler != null) {
            List<SensorReading> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            scheduler.prime(deviceId, oldestFirst);
        }
        return newestFirst.get(0).timestamp();
    }

    /** @return readings skipped as redeliveries of stored ones */
    long skipped() {
        return skipped.get();
    }
}
