package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;
import io.iotpm.core.time.Ticker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Holds each device's newest readings back for an allowed lateness of reading time and releases
 * them in timestamp order, so the listeners and the prediction windows see a stream put back in
 * order whenever its disorder stays within that lateness. A reading is released once a reading of
 * its device at least {@code lateness} newer has arrived, once it has been held {@code maxWait} of
 * ticker time (a device that went quiet), or on {@link #releaseAll}. A second reading with the
 * timestamp of a held one replaces it (last write wins), so a redelivery within the lateness is
 * released once. A reading that arrives later than the lateness allows passes straight through,
 * out of order; the window and the alert rules then deal with it as late.
 *
 * <p>Not thread-safe: every method runs under the pipeline's lock.
 */
final class ReorderBuffer {

    private final Duration lateness;
    private final long maxWaitNanos;
    private final Ticker ticker;
    private final Consumer<SensorReading> out;
    private final Map<String, Held> devices = new HashMap<>();
    private int held;

    /** @param out receives the released readings, each device's oldest first */
    ReorderBuffer(Duration lateness, long maxWaitNanos, Ticker ticker, Consumer<SensorReading> out) {
        this.lateness = lateness;
        this.maxWaitNanos = maxWaitNanos;
        this.ticker = ticker;
        this.out = out;
    }

    /** Takes {@code r} and releases whatever it lets go. */
    void offer(SensorReading r) {
        Held h = devices.computeIfAbsent(r.deviceId(), id -> new Held());
        Instant ts = r.timestamp();
        if (h.newest != null && !ts.isAfter(h.newest.minus(lateness))) {
            out.accept(r);
            return;
        }
        if (h.readings.isEmpty()) {
            h.since = ticker.nanoTime();
        }
        if (h.readings.put(ts, r) == null) {
            held++;
        }
        if (h.newest == null || ts.isAfter(h.newest)) {
            h.newest = ts;
        }
        Instant watermark = h.newest.minus(lateness);
        boolean released = false;
        while (!h.readings.isEmpty() && !h.readings.firstKey().isAfter(watermark)) {
            out.accept(h.readings.pollFirstEntry().getValue());
            held--;
            released = true;
        }
        if (released) {
            h.since = ticker.nanoTime();
        }
    }

    /** Releases every device's readings that have been held {@code maxWait} at {@code now} (ticker time). */
    void releaseWaited(long now) {
        if (held == 0) {
            return;
        }
        for (Held h : devices.values()) {
            if (!h.readings.isEmpty() && now - h.since >= maxWaitNanos) {
                release(h);
            }
        }
    }

    /** Releases everything held, each device's readings oldest first. */
    void releaseAll() {
        if (held == 0) {
            return;
        }
        for (Held h : devices.values()) {
            release(h);
        }
    }

    /** @return how many readings are held now */
    int held() {
        return held;
    }

    private void release(Held h) {
        held -= h.readings.size();
        h.readings.values().forEach(out);
        h.readings.clear();
    }

    private static final class Held {
        final TreeMap<Instant, SensorReading> readings = new TreeMap<>();
        Instant newest;
        long since;
    }
}
