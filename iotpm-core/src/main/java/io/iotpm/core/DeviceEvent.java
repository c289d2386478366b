package io.iotpm.core;

import java.time.Instant;

/**
 * Something that happened to a device, other than a reading: a {@link FailureEvent} or a
 * {@link MaintenanceEvent}. Training labels ("a failure within the next horizon steps", remaining
 * useful life) are derived from these events, never from a column the sensors could not produce.
 */
public sealed interface DeviceEvent permits FailureEvent, MaintenanceEvent {

    /** @return the validated device id */
    String deviceId();

    /** @return when it happened */
    Instant timestamp();

    /** @return {@code "failure"} or {@code "maintenance"}, the event's name in JSON and storage */
    String kind();

    /** @return the failure mode or the maintenance action */
    String detail();
}
