package io.iotpm.core.time;

import java.time.Clock;

/**
 * A source of nanosecond time for measuring how long something took or has waited, like
 * {@link System#nanoTime()}: only differences between two readings are meaningful, and they stay
 * correct when the wall clock is set. Components that measure elapsed time take a ticker from their
 * builder (default {@link #system()}), so a test can move time by hand instead of sleeping. Use
 * {@link Clock} where a wall-clock instant is meant.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * Ticker manual = now::get;          // a test advances 'now' to simulate waiting
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

    /** @return the current time in nanoseconds from an arbitrary origin; never decreases */
    long nanoTime();

    /** @return the ticker reading {@link System#nanoTime()} */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
