package io.iotpm.core.stream;

import io.iotpm.core.time.Ticker;

/**
 * Where streamers read time and how they wait: a {@link Ticker} that can also sleep.
 * {@link #system()} is wall time; {@link #virtual()} jumps ahead instead of sleeping, so a test
 * streams a simulated day in milliseconds with the same pacing code a production host runs.
 */
public interface TimeSource extends Ticker {

    /**
     * Waits about {@code nanos} nanoseconds.
     *
     * @param nanos how long, {@code > 0}
     * @throws InterruptedException if interrupted while waiting
     */
    void sleepNanos(long nanos) throws InterruptedException;

    /** @return {@link System#nanoTime()} and real sleeping */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /**
     * @return a time source starting at 0 whose {@link #sleepNanos(long)} returns at once after
     *         moving its time forward; thread-safe
     */
    static TimeSource virtual() {
        return new VirtualTimeSource();
    }
}
