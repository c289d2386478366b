package io.iotpm.storage.postgres;

import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Instant;
import java.util.Objects;

/** Argument checks, and timestamps as epoch nanoseconds in a {@code bigint} (as the readings table keys them). */
final class PgValues {

    private PgValues() {
    }

    /**
     * @return {@code t} in epoch nanoseconds
     * @throws IllegalArgumentException outside 1677..2262, which 64 bits cannot hold
     */
    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + t + " is outside 1677..2262, which this store holds", e);
        }
    }

    /** @return {@code t} in epoch nanoseconds, clamped into the range a bigint holds (for query bounds) */
    static long clamp(Instant t) {
        if (t.isBefore(Instant.ofEpochSecond(-9_223_372_036L))) {
            return Long.MIN_VALUE;
        }
        if (t.isAfter(Instant.ofEpochSecond(9_223_372_035L))) {
            return Long.MAX_VALUE;
        }
        return nanos(t);
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /**
     * @return the one schema of a batch, or {@code null} for an empty batch
     * @throws NullPointerException     on a null element
     * @throws IllegalArgumentException when the batch mixes schemas
     */
    static SensorSchema batchSchema(SensorReading[] rows) {
        SensorSchema s = null;
        for (int i = 0; i < rows.length; i++) {
            SensorReading r = rows[i];
            if (r == null) {
                throw new NullPointerException("reading at index " + i + " of the batch is null; nothing was stored");
            }
            if (s == null) {
                s = r.schema();
            } else if (!s.equals(r.schema())) {
                throw new IllegalArgumentException("reading of device '" + r.deviceId() + "' at batch index " + i
                        + " has schema '" + r.schema().name() + "', but the batch began with schema '" + s.name()
                        + "'; nothing of this write was stored");
            }
        }
        return s;
    }

    /** @return {@code [from, to)} in clamped epoch nanoseconds, after checking the id and the order */
    static long[] checkRange(String deviceId, Instant from, Instant to) {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("range start " + from + " is after its end " + to);
        }
        return new long[] {clamp(from), clamp(to)};
    }
}
