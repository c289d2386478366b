package io.iotpm.core.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * One subscriber of one topic. Closing it stops delivery to it alone: it drains what is queued
 * (within the hub's close timeout) and stops its worker threads.
 */
public interface Subscription extends AutoCloseable {

    /** @return the subscriber's name, unique within its hub */
    String name();

    /** @return the topic it listens to */
    Topic<?> topic();

    /** @return its current counters */
    SubscriberMetrics metrics();

    /**
     * Waits until everything published to this subscriber so far has been handled or dropped
     * ({@code lag == 0}).
     *
     * @param timeout how long to wait at most
     * @return whether it became idle in time
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitIdle(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10_000;
        while (metrics().lag() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 5_000_000);
        }
        return true;
    }

    /** Unsubscribes; idempotent. */
    @Override
    void close();
}
