package io.iotpm.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A device failed. For simulated devices the mode is one of the simulator's failure modes
 * ({@code bearing_wear}, ...); for C-MAPSS engines it is the data set's fault mode.
 *
 * @param deviceId  the device, validated by {@link DeviceIds}
 * @param timestamp when it failed
 * @param mode      failure mode, non-blank
 */
public record FailureEvent(String deviceId, Instant timestamp, String mode) implements DeviceEvent {

    /** @throws IllegalArgumentException on an invalid device id or a blank mode */
    public FailureEvent {
        DeviceIds.requireValid(deviceId);
        Timestamps.requireValid(timestamp, "event of device '" + deviceId + "'");
        if (mode == null || mode.isBlank()) {
            throw new IllegalArgumentException("failure mode must not be blank");
        }
    }

    @Override
    public String kind() {
        return "failure";
    }

    @Override
    public String detail() {
        return mode;
    }
}
