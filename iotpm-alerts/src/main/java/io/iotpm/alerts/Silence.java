package io.iotpm.alerts;

import io.iotpm.core.DeviceIds;

import java.time.Instant;
import java.util.Objects;

/**
 * Mutes notifications for a rule, a device, or a rule on one device, until a time. Alerts are still
 * raised and recorded while silenced; only their notifications are held back
 * ({@link Suppression#SILENCED}).
 *
 * @param id       assigned by {@link AlertManager#silence}; 0 before that
 * @param rule     rule name to match, or {@code null} for every rule
 * @param deviceId device to match, or {@code null} for every device
 * @param until    end of the silence (exclusive)
 * @param createdBy who asked for it
 * @param comment   why, free text
 */
public record Silence(long id, String rule, String deviceId, Instant until, String createdBy, String comment) {

    /** @throws IllegalArgumentException if neither rule nor device is given, or the device id is invalid */
    public Silence {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        if (rule == null && deviceId == null) {
            throw new IllegalArgumentException("a silence needs a rule, a device, or both; both were null");
        }
        if (deviceId != null) {
            DeviceIds.requireValid(deviceId);
        }
    }

    /**
     * A silence to pass to {@link AlertManager#silence(Silence)}.
     *
     * @param rule     rule name, or {@code null} for every rule
     * @param deviceId device id, or {@code null} for every device
     * @param until    when it ends
     * @param createdBy who asked
     * @return the silence, id 0
     */
    public static Silence of(String rule, String deviceId, Instant until, String createdBy) {
        return new Silence(0, rule, deviceId, until, createdBy, "");
    }

    /** @return whether this silence mutes {@code rule} on {@code deviceId} at {@code now} */
    public boolean matches(String rule, String deviceId, Instant now) {
        return now.isBefore(until) && (this.rule == null || this.rule.equals(rule))
                && (this.deviceId == null || this.deviceId.equals(deviceId));
    }

    Silence withId(long newId) {
        return new Silence(newId, rule, deviceId, until, createdBy, comment);
    }
}
