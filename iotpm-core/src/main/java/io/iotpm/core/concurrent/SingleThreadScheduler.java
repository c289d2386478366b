package io.iotpm.core.concurrent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread scheduler that a component owns and stops: {@link #stop(Duration)} returns only once
 * the thread itself has ended. An executor reports itself terminated while its worker may still be
 * finishing its exit, so a host that checks for leaked threads right after {@code close()} could see
 * it; this class waits for the thread too.
 *
 * <p>Thread-safe.
 */
public final class SingleThreadScheduler {

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    private SingleThreadScheduler(ThreadFactory threads) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = threads.newThread(r);
            thread = t;
            return t;
        });
    }

    /**
     * A scheduler whose thread comes from {@code threads}.
     *
     * @param threads makes the one thread (its name, daemon flag and group are the caller's choice)
     * @return a running scheduler; its thread starts with the first task
     * @throws NullPointerException if {@code threads} is null
     */
    public static SingleThreadScheduler create(ThreadFactory threads) {
        return new SingleThreadScheduler(Objects.requireNonNull(threads, "threads"));
    }

    /**
     * A scheduler with a daemon thread of the given name.
     *
     * @param name the thread's name
     * @return a running scheduler
     * @throws NullPointerException if {@code name} is null
     */
    public static SingleThreadScheduler named(String name) {
        Objects.requireNonNull(name, "name");
        return create(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the executor to schedule on */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /**
     * Cancels what is queued, interrupts a running task and waits for the thread to end.
     * Idempotent. An interrupt of the caller ends the wait and is kept. Called from a task of its own,
     * it cannot wait for itself: it stops the scheduler and returns false at once.
     *
     * @param timeout how long to wait, for the executor and for its thread together
     * @return whether the thread has ended (or never started)
     */
    public boolean stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        executor.shutdownNow();
        if (Thread.currentThread() == thread) {
            return false;
        }
        try {
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
            Thread t = thread;
            if (t == null) {
                return true;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            t.join(Math.max(1, left));
            return !t.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
