package io.iotpm.storage.memory;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.storage.internal.Checks;
import io.iotpm.storage.internal.SchemaGuard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Keeps readings in memory, one ring buffer per device holding its newest
 * {@linkplain Builder#capacityPerDevice(int) capacity} readings; when a buffer is full the oldest
 * reading is dropped. Appending in time order is O(1); {@link #latest(String, int)} copies only the
 * {@code n} references it returns; {@link #range} binary-searches the buffer.
 *
 * <p>Safe for concurrent writers and readers: each device has its own lock, so writers of
 * different devices do not contend; a batch locks its devices in id order (no deadlock) and is
 * visible all at once per device. Nothing is durable: the data lives as long as this object.
 *
 * <pre>{@code
 * StorageBackend store = MemoryStorage.builder().capacityPerDevice(10_000).build();
 * // or StorageBackends.open("memory:?capacityPerDevice=10000")
 * }</pre>
 */
public final class MemoryStorage implements StorageBackend {

    /** Default readings kept per device: about 70 days at one reading a minute. */
    public static final int DEFAULT_CAPACITY_PER_DEVICE = 100_000;

    private final int capacity;
    private final SchemaGuard schema;
    private final ConcurrentHashMap<String, Ring> rings = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MemoryStorage(int capacity) {
        this.capacity = capacity;
        this.schema = new SchemaGuard("memory:", null);
    }

    /** @return a builder with the default capacity */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the readings kept per device */
    public int capacityPerDevice() {
        return capacity;
    }

    @Override
    public void append(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        ensureOpen();
        schema.check(reading);
        schema.adopt(reading.schema());
        Ring ring = ring(reading.deviceId());
        ring.lock.lock();
        try {
            ring.add(reading);
        } finally {
            ring.lock.unlock();
        }
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        ensureOpen();
        SensorSchema s = schema.check(readings);
        if (s == null) {
            return;
        }
        schema.adopt(s);
        // Group by device in id order; locking in that order rules out deadlock between batches.
        TreeMap<String, List<SensorReading>> byDevice = new TreeMap<>();
        for (SensorReading r : readings) {
            byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        List<Ring> locked = new ArrayList<>(byDevice.size());
        try {
            for (String device : byDevice.keySet()) {
                Ring ring = ring(device);
                ring.lock.lock();
                locked.add(ring);
            }
            int i = 0;
            for (List<SensorReading> rs : byDevice.values()) {
                Ring ring = locked.get(i++);
                for (SensorReading r : rs) {
                    ring.add(r);
                }
            }
        } finally {
            for (Ring ring : locked) {
                ring.lock.unlock();
            }
        }
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        Checks.latest(deviceId, n);
        return underLock(deviceId, List.of(), ring -> ring.latest(n));
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        return underLock(deviceId, List.of(), ring -> ring.range(from, to));
    }

    @Override
    public List<DeviceInfo> devices() {
        ensureOpen();
        List<DeviceInfo> out = new ArrayList<>();
        for (Map.Entry<String, Ring> e : new TreeMap<>(rings).entrySet()) {
            Ring ring = e.getValue();
            ring.lock.lock();
            try {
                if (ring.size > 0) {
                    out.add(new DeviceInfo(e.getKey(), ring.newest().timestamp(), ring.size));
                }
            } finally {
                ring.lock.unlock();
            }
        }
        return out;
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        return underLock(deviceId, 0L, ring -> (long) ring.size);
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        ensureOpen();
        Ring ring = ring(event.deviceId());
        ring.lock.lock();
        try {
            int i = ring.events.size();
            while (i > 0 && ring.events.get(i - 1).timestamp().isAfter(event.timestamp())) {
                i--;
            }
            ring.events.add(i, event);
            if (ring.events.size() > capacity) {
                ring.events.remove(0);
            }
        } finally {
            ring.lock.unlock();
        }
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        return underLock(deviceId, List.of(), ring -> {
            List<DeviceEvent> out = new ArrayList<>();
            for (DeviceEvent e : ring.events) {
                if (!e.timestamp().isBefore(from) && e.timestamp().isBefore(to)) {
                    out.add(e);
                }
            }
            return out;
        });
    }

    /** Reads one device's ring under its lock; {@code absent} when the device has never been written. */
    private <T> T underLock(String deviceId, T absent, Function<Ring, T> read) {
        ensureOpen();
        Ring ring = rings.get(deviceId);
        if (ring == null) {
            return absent;
        }
        ring.lock.lock();
        try {
            return read.apply(ring);
        } finally {
            ring.lock.unlock();
        }
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        ensureOpen();
        long deleted = 0;
        for (Ring ring : rings.values()) {
            ring.lock.lock();
            try {
                deleted += ring.dropBefore(cutoff);
                ring.events.removeIf(e -> e.timestamp().isBefore(cutoff));
            } finally {
                ring.lock.unlock();
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        closed = true;
        rings.clear();
    }

    @Override
    public String toString() {
        return "memory:?capacityPerDevice=" + capacity;
    }

    private Ring ring(String deviceId) {
        Ring r = rings.get(deviceId);
        return r != null ? r : rings.computeIfAbsent(deviceId, k -> new Ring(capacity));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + this + " is closed");
        }
    }

    /**
     * A device's readings sorted by timestamp (ties in append order) in a circular array that
     * grows by doubling up to the capacity. Guarded by {@link #lock}.
     */
    static final class Ring {
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

        void add(SensorReading r) {
            if (size == buf.length && size < capacity) {
                grow();
            }
            if (size == 0 || !r.timestamp().isBefore(newest().timestamp())) {
                if (size == capacity) {
                    buf[head] = null;
                    head = (head + 1) % buf.length;
                    size--;
                }
                set(size++, r);
                return;
            }
            // Late reading: insert after every reading with a timestamp <= its own.
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

    /** Builds a {@link MemoryStorage}. */
    public static final class Builder {
        private int capacity = DEFAULT_CAPACITY_PER_DEVICE;

        private Builder() {
        }

        /**
         * @param capacity readings kept per device, {@code > 0}; default
         *                 {@value MemoryStorage#DEFAULT_CAPACITY_PER_DEVICE}
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity <= 0}
         */
        public Builder capacityPerDevice(int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacityPerDevice must be > 0, but was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** @return a new, empty store */
        public MemoryStorage build() {
            return new MemoryStorage(capacity);
        }
    }
}
