package io.iotpm.core;

import java.time.Instant;
import java.util.Objects;

/**
 * The one rule for reading and event timestamps, checked where readings and events are made so every
 * storage backend holds the same set: from {@link #MIN} (1678-01-01) to {@link #MAX} (the last instant of
 * 2261). That is what fits in 64-bit epoch nanoseconds (SQLite, PostgreSQL), in whole years, so a
 * timestamp the memory store accepts is one every file or database store accepts too.
 */
public final class Timestamps {

    /** Earliest accepted timestamp. */
    public static final Instant MIN = Instant.parse("1678-01-01T00:00:00Z");
    /** Latest accepted timestamp. */
    public static final Instant MAX = Instant.parse("2261-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    /** @return whether {@code t} lies within [{@link #MIN}, {@link #MAX}] */
    public static boolean isValid(Instant t) {
        return t != null && !t.isBefore(MIN) && !t.isAfter(MAX);
    }

    /**
     * @param t    the timestamp
     * @param what what it belongs to, for the message (e.g. "reading of device 'PUMP_001'")
     * @return {@code t}
     * @throws NullPointerException     if {@code t} is null
     * @throws IllegalArgumentException if it lies outside [{@link #MIN}, {@link #MAX}]
     */
    public static Instant requireValid(Instant t, String what) {
        Objects.requireNonNull(t, "timestamp");
        if (!isValid(t)) {
            throw new IllegalArgumentException(what + ": timestamp " + t + " is outside " + MIN + " .. " + MAX
                    + " (the range every storage backend holds)");
        }
        return t;
    }
}
