package io.iotpm.api;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Temporary synchronized in-memory storage until iotpm-storage's MemoryStorage lands on main. */
final class TestStorage implements StorageBackend {

    private final Map<String, List<SensorReading>> readings = new TreeMap<>();
    private final List<DeviceEvent> events = new ArrayList<>();

    @Override
    public synchronized void append(SensorReading reading) {
        readings.computeIfAbsent(reading.deviceId(), k -> new ArrayList<>()).add(reading);
    }

    @Override
    public synchronized void appendAll(Collection<SensorReading> batch) {
        batch.forEach(this::append);
    }

    @Override
    public synchronized List<SensorReading> latest(String deviceId, int n) {
        List<SensorReading> all = readings.getOrDefault(deviceId, List.of());
        List<SensorReading> out = new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size()));
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
        List<DeviceInfo> out = new ArrayList<>();
        readings.forEach((id, rs) -> out.add(new DeviceInfo(id, rs.get(rs.size() - 1).timestamp(), rs.size())));
        return out;
    }

    @Override
    public synchronized long count(String deviceId) {
        return readings.getOrDefault(deviceId, List.of()).size();
    }

    @Override
    public synchronized void appendEvent(DeviceEvent event) {
        events.add(event);
    }

    @Override
    public synchronized List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        return events.stream().filter(e -> e.deviceId().equals(deviceId)
                && !e.timestamp().isBefore(from) && e.timestamp().isBefore(to)).toList();
    }

    @Override
    public synchronized long deleteBefore(Instant cutoff) {
        return 0;
    }

    @Override
    public void close() {
    }
}
