package io.iotpm.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A device was repaired or serviced; after it the device is considered healthy again.
 *
 * @param deviceId  the device, validated by {@link DeviceIds}
 * @param timestamp when the maintenance finished
 * @param action    what was done, non-blank (e.g. {@code "repair"})
 */
public record MaintenanceEvent(String deviceId, Instant timestamp, String action) implements DeviceEvent {

    /** @throws IllegalArgumentException on an invalid device id or a blank action */
    public MaintenanceEvent {
        DeviceIds.requireValid(deviceId);
        Timestamps.requireValid(timestamp, "event of device '" + deviceId + "'");
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("maintenance action must not be blank");
        }
    }

    @Override
    public String kind() {
        return "maintenance";
    }

    @Override
    public String detail() {
        return action;
    }
}
