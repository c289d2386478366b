package io.iotpm.examples.soak;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A real storage with an outage switch: while {@link #down} is set, writes fail with a
 * {@link StorageException}, as a database that went away does. Reads still work, so the API's
 * read endpoints keep serving. The injected fault of the soak test.
 */
final class FaultyStorage implements StorageBackend {

    private final StorageBackend delegate;
    volatile boolean down;

    FaultyStorage(StorageBackend delegate) {
        this.delegate = delegate;
    }

    private void maybeFail() {
        if (down) {
            throw new StorageException("storage outage injected by the soak test");
        }
    }

    @Override
    public void append(SensorReading reading) {
        maybeFail();
        delegate.append(reading);
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        maybeFail();
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
        maybeFail();
        delegate.appendEvent(event);
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        return delegate.events(deviceId, from, to);
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        maybeFail();
        return delegate.deleteBefore(cutoff);
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        maybeFail();
        return delegate.deleteEventsBefore(cutoff);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
