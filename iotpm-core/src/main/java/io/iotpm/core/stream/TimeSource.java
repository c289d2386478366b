package io.iotpm.core.stream;

/**
 * Where streamers read time and how they wait. {@link #system()} is wall time; {@link #virtual()}
 * jumps ahead instead of sleeping, so a test streams a simulated day in milliseconds with the same
 * pacing code a production host runs.
 */
public interface TimeSource {

    /** @return a monotonic time in nanoseconds (only differences are meaningful) */
    long nanoTime();

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
