package io.iotpm.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock tests move by hand, so an alert cooldown, a token expiry or a retention age is tested in
 * microseconds and without flakiness: hand it to the code under test (every iotpm builder takes a
 * {@link Clock}), then {@link #advance(Duration)}. Its {@link #nanoTime()} moves with it, for code
 * that takes a ticker ({@code clock::nanoTime}). Thread-safe; the zone is always UTC.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * AlertManager alerts = AlertManager.builder().clock(clock).build();
 * clock.advance(Duration.ofMinutes(15));   // the cooldown is over
 * }</pre>
 */
public final class MutableClock extends Clock {

    private final Instant start;
    private volatile Instant now;

    /**
     * @param start the clock's first instant
     */
    public MutableClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
        this.now = start;
    }

    /**
     * Moves the clock forward.
     *
     * @param d how far, {@code >= 0}
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("advance must be >= 0, but was " + d);
        }
        now = now.plus(d);
    }

    /**
     * Sets the clock to an instant, earlier or later than now.
     *
     * @param t the new instant
     */
    public synchronized void set(Instant t) {
        now = Objects.requireNonNull(t, "t");
    }

    /**
     * A ticker reading: nanoseconds from the start instant to now. It moves only when the clock
     * does, and goes back if {@link #set(Instant)} moves the clock back.
     *
     * @return nanoseconds since the start instant
     */
    public long nanoTime() {
        return Duration.between(start, now).toNanos();
    }

    /** @return UTC */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * @param zone ignored: the clock stays in UTC
     * @return this clock
     */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** @return the current instant, as last advanced or set */
    @Override
    public Instant instant() {
        return now;
    }
}
