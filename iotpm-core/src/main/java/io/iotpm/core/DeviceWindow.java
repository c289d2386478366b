package io.iotpm.core;

import java.util.List;

/**
 * The most recent readings of one device, oldest first: the input of one prediction.
 *
 * @param deviceId the device
 * @param readings readings of that device, oldest first (copied)
 */
public record DeviceWindow(String deviceId, List<SensorReading> readings) {

    /** @throws IllegalArgumentException on an invalid device id or a reading of another device */
    public DeviceWindow {
        DeviceIds.requireValid(deviceId);
        readings = List.copyOf(readings);
        for (SensorReading r : readings) {
            if (!r.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("window of device '" + deviceId
                        + "' contains a reading of device '" + r.deviceId() + "'");
            }
        }
    }
}
