package io.iotpm.core.pipeline;

import io.iotpm.core.SensorReading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One device's newest readings, oldest first, at most one per timestamp and at most
 * {@code capacity} of them. The common case, a reading newer than every other, is an O(1) append
 * into a ring; a late reading (rare) is placed by binary search. This replaced a {@code TreeMap}
 * whose node walks and rebalancing were half of the pipeline thread's time in the MQTT fleet
 * profile (1,000 devices x 60-reading windows).
 *
 * <p>Not thread-safe: used under the pipeline's lock.
 */
final class WindowRing {

    /** What {@link #addLate(SensorReading)} did with a reading. */
    enum Late { REPLACED, INSERTED, LEFT_OUT }

    private final SensorReading[] ring;
    private int head;
    private int size;

    WindowRing(int capacity) {
        this.ring = new SensorReading[capacity];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == ring.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the newest timestamp; the ring must not be empty */
    Instant newest() {
        return get(size - 1).timestamp();
    }

    /** Appends a reading newer than {@link #newest()}, dropping the oldest when full. */
    void append(SensorReading r) {
        if (size == ring.length) {
            ring[head] = r;
            head = (head + 1) % ring.length;
        } else {
            ring[(head + size) % ring.length] = r;
            size++;
        }
    }

    /**
     * Places a reading not newer than {@link #newest()}: replaces the reading with its timestamp,
     * is inserted in time order (dropping the oldest when full), or is left out when the ring is
     * full and it is older than every reading in it.
     */
    Late addLate(SensorReading r) {
        Instant ts = r.timestamp();
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = get(mid).timestamp().compareTo(ts);
            if (c == 0) {
                ring[(head + mid) % ring.length] = r;
                return Late.REPLACED;
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (size == ring.length && lo == 0) {
            return Late.LEFT_OUT;
        }
        List<SensorReading> all = new ArrayList<>(readings());
        all.add(lo, r);
        if (all.size() > ring.length) {
            all.remove(0);
        }
        clear();
        all.forEach(this::append);
        return Late.INSERTED;
    }

    /** @return a copy of the readings, oldest first */
    List<SensorReading> readings() {
        SensorReading[] out = new SensorReading[size];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return Arrays.asList(out);
    }

    void clear() {
        Arrays.fill(ring, null);
        head = 0;
        size = 0;
    }

    private SensorReading get(int i) {
        return ring[(head + i) % ring.length];
    }
}
