package io.iotpm.core.stream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

    /** Wall time. */
    enum SystemTimeSource implements TimeSource {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /** Simulated time: sleeping advances it. */
    final class VirtualTimeSource implements TimeSource {
        private final AtomicLong now = new AtomicLong();

        private VirtualTimeSource() {
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (nanos > 0) {
                now.addAndGet(nanos);
            }
            // Let other threads run, as a real sleep would.
            Thread.yield();
        }

        @Override
        public String toString() {
            return "VirtualTimeSource[" + now.get() + " ns]";
        }
    }
}
