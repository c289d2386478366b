package io.iotpm.core.storage;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Stores readings and device events. Implementations are safe for concurrent use by many
 * threads; a call that returns normally has stored its data with the durability the backend
 * documents, and a call that throws has stored nothing of it.
 *
 * <p>A store holds readings of one {@link SensorSchema}: the first reading written
 * fixes it (persistent backends remember it), and a reading of another schema is rejected with an
 * {@link IllegalArgumentException}. Reads return readings with that schema.
 *
 * <p>Readings of a device are ordered by timestamp. (device id, timestamp) is a reading's identity,
 * as in time-series databases: a store holds at most one reading per device and timestamp, and
 * appending a reading whose device and timestamp are stored replaces the stored one (the last write
 * wins; within one batch, the later reading). So re-appending a batch that was already stored (a
 * redelivery, a client's retry) stores nothing twice, and counts stay right. Events are not
 * readings: they are never replaced, and equal timestamps keep the order they were appended in.
 * Open one with {@link StorageBackends#open(String)}; the conformance suite every backend passes
 * is {@code StorageBackendContract} in the {@code iotpm-test} kit.
 */
public interface StorageBackend extends AutoCloseable {

    /**
     * Stores one reading, replacing the stored reading of its device and timestamp if there is one.
     *
     * @throws IllegalArgumentException if the reading does not fit this store (schema mismatch)
     */
    void append(SensorReading reading);

    /**
     * Stores a batch atomically: all of it or, when it throws, none of it. Readings replace stored
     * ones of the same device and timestamp, and of two in the batch the later wins.
     *
     * @throws IllegalArgumentException if any reading does not fit this store; nothing is stored
     */
    void appendAll(Collection<SensorReading> readings);

    /**
     * @param deviceId the device
     * @param n        how many readings at most, {@code > 0}
     * @return its newest readings, newest first (empty for an unknown device)
     * @throws IllegalArgumentException on an invalid device id or {@code n <= 0}
     */
    List<SensorReading> latest(String deviceId, int n);

    /**
     * @param deviceId the device
     * @param from     inclusive lower bound
     * @param to       exclusive upper bound
     * @return its readings in {@code [from, to)}, oldest first
     * @throws IllegalArgumentException on an invalid device id or {@code from} after {@code to}
     */
    List<SensorReading> range(String deviceId, Instant from, Instant to);

    /** @return every device with stored readings, ordered by device id */
    List<DeviceInfo> devices();

    /** @return how many readings are stored for the device (0 when unknown) */
    long count(String deviceId);

    /**
     * Stores a failure or maintenance event.
     *
     * @param event the event
     */
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

    /**
     * Deletes events older than {@code cutoff} and leaves the readings (events kept for a shorter
     * time than readings). Optional: the memory and SQLite backends implement it.
     *
     * @param cutoff exclusive bound: events at or after it stay
     * @return how many events were deleted
     * @throws UnsupportedOperationException if this backend cannot delete events alone (the default)
     */
    default long deleteEventsBefore(Instant cutoff) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete events alone; "
                + "deleteBefore(cutoff) deletes readings and events");
    }

    /**
     * Keeps only what is younger than {@code age} by {@code clock}: deletes readings and events
     * older than {@code clock.instant() - age}.
     *
     * @param age   how much history to keep, {@code > 0}
     * @param clock the clock that says what "now" is
     * @return how many readings were deleted
     * @throws IllegalArgumentException if {@code age} is zero or negative
     */
    default long retain(Duration age, Clock clock) {
        if (age.isZero() || age.isNegative()) {
            throw new IllegalArgumentException("retention age must be > 0, but was " + age);
        }
        return deleteBefore(clock.instant().minus(age));
    }

    /**
     * Like {@link #retain(Duration, Clock)} with the system UTC clock.
     *
     * @param age how much history to keep, {@code > 0}
     * @return how many readings were deleted
     */
    default long retain(Duration age) {
        return retain(age, Clock.systemUTC());
    }

    /** Flushes and releases files, connections and threads. Idempotent; other calls then fail. */
    @Override
    void close();
}
