package io.iotpm.core.pipeline;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, synchronized in-memory {@link StorageBackend} for core tests (core cannot see
 * {@code iotpm-storage}). It can be told to fail its next calls, like a database that is down, and
 * it refuses readings of a schema other than its own, as real backends do.
 */
public final class TestStorage implements StorageBackend {

    private final SensorSchema schema;
    private final Map<String, List<SensorReading>> readings = new TreeMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    /** Calls to fail before working again. */
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();
    /** When set, {@code appendAll} waits for it to open first, like a database in a long write. */
    public volatile CountDownLatch gate;

    public TestStorage(SensorSchema schema) {
        this.schema = schema;
    }

    private void maybeFail() {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("storage is down");
        }
    }

    private void check(SensorReading r) {
        if (!r.schema().equals(schema)) {
            throw new IllegalArgumentException("reading of device '" + r.deviceId() + "' has schema '"
                    + r.schema().name() + "', store has '" + schema.name() + "'");
        }
    }

    @Override
    public synchronized void append(SensorReading reading) {
        maybeFail();
        check(reading);
        readings.computeIfAbsent(reading.deviceId(), k -> new ArrayList<>()).add(reading);
    }

    @Override
    public void appendAll(Collection<SensorReading> batch) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the gate was shut", e);
            }
        }
        appendAllNow(batch);
    }

    private synchronized void appendAllNow(Collection<SensorReading> batch) {
        maybeFail();
        batch.forEach(this::check);
        for (SensorReading r : batch) {
            readings.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        batchSizes.add(batch.size());
    }

    public synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    public synchronized List<SensorReading> all(String deviceId) {
        return List.copyOf(readings.getOrDefault(deviceId, List.of()));
    }

    public synchronized long total() {
        return readings.values().stream().mapToLong(List::size).sum();
    }

    @Override
    public synchronized List<SensorReading> latest(String deviceId, int n) {
        List<SensorReading> l = readings.getOrDefault(deviceId, List.of());
        List<SensorReading> out = new ArrayList<>(l.subList(Math.max(0, l.size() - n), l.size()));
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public synchronized List<SensorReading> range(String deviceId, Instant from, Instant to) {
        return readings.getOrDefault(deviceId, List.of()).stream()
                .filter(r -> !r.timestamp().isBefore(from) && r.timestamp().isBefore(to)).toList();
    }

    @Override
    public synchronized List<DeviceInfo> devices() {
        return readings.entrySet().stream().map(e -> new DeviceInfo(e.getKey(),
                e.getValue().get(e.getValue().size() - 1).timestamp(), e.getValue().size())).toList();
    }

    @Override
    public synchronized long count(String deviceId) {
        return readings.getOrDefault(deviceId, List.of()).size();
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        throw new UnsupportedOperationException("events are not needed by these tests");
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        return List.of();
    }

    @Override
    public synchronized long deleteBefore(Instant cutoff) {
        long deleted = 0;
        for (List<SensorReading> rs : readings.values()) {
            int before = rs.size();
            rs.removeIf(r -> r.timestamp().isBefore(cutoff));
            deleted += before - rs.size();
        }
        return deleted;
    }

    @Override
    public void close() {
    }
}
