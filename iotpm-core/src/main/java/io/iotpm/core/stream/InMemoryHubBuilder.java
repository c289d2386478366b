package io.iotpm.core.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Builds the in-process {@link StreamHub}, reached through {@link StreamHub#inMemory()}; reusable,
 * {@link #build()} does not change it.
 *
 * <p>Each subscriber of the hub has one or more lanes; a lane is a bounded lock-free ring (capacity
 * a power of two) drained in batches by one worker thread, so a slow subscriber never slows another
 * (except through its own {@link Overflow#BLOCK} back-pressure on the publisher). A publish costs
 * one CAS per subscriber and no allocation. Threads come from the injected {@link ThreadFactory};
 * by default they are daemon threads named {@code iotpm-hub-<subscriber>-<lane>}. All of them end
 * in {@link StreamHub#close(Duration)}.
 *
 * <pre>{@code
 * StreamHub hub = StreamHub.inMemory().capacity(65_536).overflow(Overflow.BLOCK).build();
 * }</pre>
 */
public final class InMemoryHubBuilder {

    /** Default queue capacity per lane. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Largest queue capacity per lane. */
    public static final int MAX_CAPACITY = 1 << 26;
    /** Default overflow policy. */
    public static final Overflow DEFAULT_OVERFLOW = Overflow.BLOCK;
    /** Default time {@link StreamHub#close()} lets subscribers drain. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private int capacity = DEFAULT_CAPACITY;
    private Overflow overflow = DEFAULT_OVERFLOW;
    private ThreadFactory threadFactory;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    InMemoryHubBuilder() {
    }

    static int checkCapacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "], but was " + capacity);
        }
        return capacity;
    }

    /**
     * @param capacity default queue capacity per subscriber lane, 1 to 2^26, rounded up to a power
     *                 of two; default {@value #DEFAULT_CAPACITY}
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public InMemoryHubBuilder capacity(int capacity) {
        this.capacity = checkCapacity(capacity);
        return this;
    }

    /**
     * @param overflow default overflow policy of subscribers; default {@link Overflow#BLOCK}
     * @return this
     */
    public InMemoryHubBuilder overflow(Overflow overflow) {
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        return this;
    }

    /**
     * @param threadFactory makes the subscriber worker threads (one per lane), used as given;
     *                      default daemon threads named {@code iotpm-hub-<subscriber>-<lane>}
     * @return this
     */
    public InMemoryHubBuilder threadFactory(ThreadFactory threadFactory) {
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        return this;
    }

    /**
     * @param closeTimeout how long {@link StreamHub#close()} and {@link Subscription#close()} let
     *                     queues drain, {@code >= 0}; default 5 seconds
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public InMemoryHubBuilder closeTimeout(Duration closeTimeout) {
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must be >= 0, but was " + closeTimeout);
        }
        this.closeTimeout = closeTimeout;
        return this;
    }

    /** @return a new hub; it starts threads only when something subscribes */
    public StreamHub build() {
        return new InMemoryStreamHub(capacity, overflow, threadFactory, closeTimeout);
    }
}
