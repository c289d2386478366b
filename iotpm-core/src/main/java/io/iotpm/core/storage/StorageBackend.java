package io.iotpm.core.storage;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Stores readings and device events. Implementations are safe for concurrent use by many
 * threads; a call that returns normally has stored its data with the durability the backend
 * documents, and a call that throws has stored nothing of it.
 */
public interface StorageBackend extends AutoCloseable {

    /**
     * Stores one reading.
     *
     * @throws IllegalArgumentException if the reading does not fit this store (schema mismatch)
     */
    void append(SensorReading reading);

    /**
     * Stores a batch atomically: all of it or, when it throws, none of it.
     *
     * @throws IllegalArgumentException if any reading does not fit this store; nothing is stored
     */
    void appendAll(Collection<SensorReading> readings);

    /**
     * @param deviceId the device
     * @param n        how many readings at most, {@code > 0}
     * @return its newest readings, newest first
     */
    List<SensorReading> latest(String deviceId, int n);

    /**
     * @param deviceId the device
     * @param from     inclusive lower bound
     * @param to       exclusive upper bound
     * @return its readings in {@code [from, to)}, oldest first
     */
    List<SensorReading> range(String deviceId, Instant from, Instant to);

    /** @return every device with stored readings, ordered by device id */
    List<DeviceInfo> devices();

    /** @return how many readings are stored for the device (0 when unknown) */
    long count(String deviceId);

    /** Stores a failure or maintenance event. */
    void appendEvent(DeviceEvent event);

    /**
     * @param deviceId the device
     * @param from     inclusive lower bound
     * @param to       exclusive upper bound
     * @return its events in {@code [from, to)}, oldest first
     */
    List<DeviceEvent> events(String deviceId, Instant from, Instant to);

    /**
     * Deletes readings and events older than {@code cutoff} (retention).
     *
     * @return how many readings were deleted
     */
    long deleteBefore(Instant cutoff);

    /** Flushes and releases files, connections and threads. */
    @Override
    void close();
}
