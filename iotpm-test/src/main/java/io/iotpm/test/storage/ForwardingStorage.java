package io.iotpm.test.storage;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link StorageBackend} that hands every call to another one: extend it and override only the
 * calls a test intercepts (inject a fault, count or time writes). {@code retain} stays the
 * interface's default, which calls {@link #deleteBefore(Instant)} and so passes through an override.
 */
public class ForwardingStorage implements StorageBackend {

    private final StorageBackend delegate;

    /** @param delegate the backend every call goes to */
    public ForwardingStorage(StorageBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the backend every call goes to */
    protected final StorageBackend delegate() {
        return delegate;
    }

    @Override
    public void append(SensorReading reading) {
        delegate.append(reading);
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        delegate.appendAll(readings);
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        return delegate.latest(deviceId, n);
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        return delegate.range(deviceId, from, to);
    }

    @Override
    public List<DeviceInfo> devices() {
        return delegate.devices();
    }

    @Override
    public long count(String deviceId) {
        return delegate.count(deviceId);
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        delegate.appendEvent(event);
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        return delegate.events(deviceId, from, to);
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        return delegate.deleteBefore(cutoff);
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        return delegate.deleteEventsBefore(cutoff);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
