package io.iotpm.core.storage;

import java.time.Instant;

/**
 * A device known to a {@link StorageBackend}.
 *
 * @param deviceId     the device
 * @param lastSeen     timestamp of its newest stored reading
 * @param readingCount how many readings are stored for it
 */
public record DeviceInfo(String deviceId, Instant lastSeen, long readingCount) {
}
