package io.iotpm.examples.soak;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.storage.ForwardingStorage;

import java.time.Instant;
import java.util.Collection;

/**
 * A real storage with an outage switch: while {@link #down} is set, writes fail with a
 * {@link StorageException}, as a database that went away does. Reads still work, so the API's
 * read endpoints keep serving. The injected fault of the soak test.
 */
final class FaultyStorage extends ForwardingStorage {

    volatile boolean down;

    FaultyStorage(StorageBackend delegate) {
        super(delegate);
    }

    private void maybeFail() {
        if (down) {
            throw new StorageException("storage outage injected by the soak test");
        }
    }

    @Override
    public void append(SensorReading reading) {
        maybeFail();
        super.append(reading);
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        maybeFail();
        super.appendAll(readings);
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        maybeFail();
        super.appendEvent(event);
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        maybeFail();
        return super.deleteBefore(cutoff);
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        maybeFail();
        return super.deleteEventsBefore(cutoff);
    }
}
