package io.iotpm.storage.memory;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A device's readings sorted by timestamp, at most one per timestamp (a reading with a stored
 * timestamp replaces the stored one), in a circular array that grows by doubling up to the
 * capacity, with the device's events beside them. Guarded by
 * {@link #lock}; {@link MemoryStorage} takes it around every call.
 */
final class Ring {
    final ReentrantLock lock = new ReentrantLock();
    final List<DeviceEvent> events = new ArrayList<>();
    private final int capacity;
    private SensorReading[] buf;
    private int head;     // physical index of the oldest reading
    int size;

    Ring(int capacity) {
        this.capacity = capacity;
        this.buf = new SensorReading[Math.min(capacity, 16)];
    }

    private SensorReading get(int logical) {
        return buf[(head + logical) % buf.length];
    }

    private void set(int logical, SensorReading r) {
        buf[(head + logical) % buf.length] = r;
    }

    SensorReading newest() {
        return get(size - 1);
    }

    /** Adds a reading, or replaces the stored one with its timestamp. */
    void add(SensorReading r) {
        if (size > 0 && !r.timestamp().isAfter(newest().timestamp())) {
            int same = upperBound(r.timestamp()) - 1;
            if (same >= 0 && get(same).timestamp().equals(r.timestamp())) {
                set(same, r);   // same (device, timestamp): the last write wins
                return;
            }
        }
        if (size == buf.length && size < capacity) {
            grow();
        }
        if (size == 0 || r.timestamp().isAfter(newest().timestamp())) {
            if (size == capacity) {
                buf[head] = null;
                head = (head + 1) % buf.length;
                size--;
            }
            set(size++, r);
            return;
        }
        // Late reading: insert after every reading with an earlier timestamp.
        int pos = upperBound(r.timestamp());
        if (size == capacity) {
            if (pos == 0) {
                return;   // older than everything in a full buffer: it would be evicted at once
            }
            buf[head] = null;
            head = (head + 1) % buf.length;
            size--;
            pos--;
        }
        if (head + size < buf.length) {
            // Not wrapped (the usual case until the buffer is full): one memmove.
            System.arraycopy(buf, head + pos, buf, head + pos + 1, size - pos);
        } else {
            for (int i = size; i > pos; i--) {
                set(i, get(i - 1));
            }
        }
        set(pos, r);
        size++;
    }

    private void grow() {
        SensorReading[] bigger = new SensorReading[(int) Math.min((long) buf.length * 2, capacity)];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        buf = bigger;
        head = 0;
    }

    /** @return the first logical index whose timestamp is after {@code t} */
    private int upperBound(Instant t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).timestamp().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the first logical index whose timestamp is not before {@code t} */
    private int lowerBound(Instant t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).timestamp().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    List<SensorReading> latest(int n) {
        int k = Math.min(n, size);
        List<SensorReading> out = new ArrayList<>(k);
        for (int i = size - 1; i >= size - k; i--) {
            out.add(get(i));
        }
        return out;
    }

    List<SensorReading> range(Instant from, Instant to) {
        int a = lowerBound(from);
        int b = lowerBound(to);
        List<SensorReading> out = new ArrayList<>(Math.max(0, b - a));
        for (int i = a; i < b; i++) {
            out.add(get(i));
        }
        return out;
    }

    long dropBefore(Instant cutoff) {
        int k = lowerBound(cutoff);
        for (int i = 0; i < k; i++) {
            buf[head] = null;
            head = (head + 1) % buf.length;
        }
        size -= k;
        return k;
    }
}
