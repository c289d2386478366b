package io.iotpm.storage.internal;

import io.iotpm.core.DeviceIds;

import java.time.Instant;
import java.util.Objects;

/** Argument checks shared by the backends, with the bad value in the message. */
public final class Checks {

    private Checks() {
    }

    /**
     * @param deviceId a device id to read
     * @param n        how many readings
     * @throws IllegalArgumentException on an invalid id or {@code n <= 0}
     */
    public static void latest(String deviceId, int n) {
        DeviceIds.requireValid(deviceId);
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, but was " + n);
        }
    }

    /**
     * @param deviceId a device id to read
     * @param from     inclusive lower bound
     * @param to       exclusive upper bound
     * @throws IllegalArgumentException on an invalid id or {@code from > to}
     */
    public static void range(String deviceId, Instant from, Instant to) {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("range start " + from + " is after its end " + to);
        }
    }
}
