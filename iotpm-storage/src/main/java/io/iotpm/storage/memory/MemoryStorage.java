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
import java.util.function.Function;

/**
 * Keeps readings in memory, one ring buffer per device holding its newest
 * {@linkplain Builder#capacityPerDevice(int) capacity} readings; when a buffer is full the oldest
 * reading is dropped. Appending in time order is O(1); {@link #latest(String, int)} copies only the
 * {@code n} references it returns; {@link #range} binary-searches the buffer. A device holds one
 * reading per timestamp: appending one whose (device, timestamp) is stored replaces it (the last
 * write wins, also within a batch), so a redelivered batch changes nothing.
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
        return deleteFromEachRing(cutoff, true);
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        return deleteFromEachRing(cutoff, false);
    }

    /** @return readings deleted when {@code readings} is set (events always go), else events deleted */
    private long deleteFromEachRing(Instant cutoff, boolean readings) {
        Objects.requireNonNull(cutoff, "cutoff");
        ensureOpen();
        long deleted = 0;
        for (Ring ring : rings.values()) {
            ring.lock.lock();
            try {
                int events = ring.events.size();
                ring.events.removeIf(e -> e.timestamp().isBefore(cutoff));
                deleted += readings ? ring.dropBefore(cutoff) : events - ring.events.size();
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
