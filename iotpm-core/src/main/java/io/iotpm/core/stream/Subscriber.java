package io.iotpm.core.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** One subscription of the in-memory hub: its lanes, overflow policy, handler and counters. */
final class Subscriber<T> implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    /* Handler failures are logged in full up to this many per subscriber, then every 1000th. */
    private static final long LOG_FULL = 10;

    private final InMemoryStreamHub hub;
    private final String name;
    private final Topic<T> topic;
    private final Overflow overflow;
    private final Consumer<? super T> handler;
    private final Lane[] lanes;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    Subscriber(InMemoryStreamHub hub, String name, Topic<T> topic, Overflow overflow, int capacity, int laneCount,
               Consumer<? super T> handler) {
        this.hub = hub;
        this.name = name;
        this.topic = topic;
        this.overflow = overflow;
        this.handler = handler;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(this, i, capacity, overflow == Overflow.DROP_OLDEST);
        }
    }

    void start(ThreadFactory factory, boolean defaultFactory) {
        for (Lane lane : lanes) {
            Thread t = factory.newThread(lane);
            if (t == null) {
                throw new IllegalStateException("thread factory returned null for subscriber '" + name + "'");
            }
            if (defaultFactory) {
                t.setName("iotpm-hub-" + name + "-" + lane.index());
                t.setDaemon(true);
            }
            lane.start(t);
        }
    }

    /**
     * Queues a message by the overflow policy.
     *
     * @return {@code null}, or the exception a {@link Overflow#FAIL} rejection makes publish throw
     */
    StreamOverflowException offer(Object message) {
        Lane lane = lanes.length == 1 ? lanes[0]
                : lanes[(topic.key(topic.type().cast(message)).hashCode() & 0x7fffffff) % lanes.length];
        Ring ring = lane.ring;
        if (!ring.offer(message)) {
            switch (overflow) {
                case BLOCK -> {
                    StreamOverflowException e = blockingOffer(lane, message);
                    if (e != null) {
                        return e;
                    }
                }
                case DROP_OLDEST -> {
                    do {
                        if (ring.poll() != null) {
                            lane.polled.incrementAndGet();
                            dropped.incrementAndGet();
                        }
                    } while (!ring.offer(message));
                }
                case DROP_NEWEST -> {
                    dropped.incrementAndGet();
                    return null;
                }
                case FAIL -> {
                    dropped.incrementAndGet();
                    String key = keyOf(message);
                    return new StreamOverflowException(name, key, "subscriber '" + name + "' of topic '"
                            + topic.name() + "' is full (" + ring.capacity() + " queued); message of device '"
                            + key + "' rejected");
                }
                default -> throw new AssertionError(overflow);
            }
        }
        lane.signal();
        return null;
    }

    private StreamOverflowException blockingOffer(Lane lane, Object message) {
        int attempt = 0;
        long park = 1_000;
        while (!lane.ring.offer(message)) {
            if (lane.state == Lane.ABORTED || lane.terminated) {
                // The subscriber is gone or the hub gave up draining: nobody will make room.
                dropped.incrementAndGet();
                return null;
            }
            if (Thread.currentThread().isInterrupted()) {
                dropped.incrementAndGet();
                String key = keyOf(message);
                return new StreamOverflowException(name, key, "interrupted while blocked on full subscriber '"
                        + name + "' of topic '" + topic.name() + "'; message of device '" + key + "' not delivered");
            }
            // Spin briefly, then sleep in short parks: the worker is draining, and a parked publisher
            // leaves it the CPU (yielding instead starves it on oversubscribed machines).
            if (++attempt < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(park);
                if (attempt > 1000) {
                    park = Math.min(park * 2, 1_000_000);
                }
            }
        }
        return null;
    }

    /** @return whether the handler returned normally */
    boolean handle(Object message) {
        try {
            handler.accept(topic.type().cast(message));
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            long n = failed.incrementAndGet();
            if (n <= LOG_FULL) {
                LOG.warn("subscriber '{}' of topic '{}': handler failed for device '{}'", name, topic.name(),
                        keyOf(message), e);
            } else if (n % 1000 == 0) {
                LOG.warn("subscriber '{}' of topic '{}': handler failed for device '{}' ({} failures so far): {}",
                        name, topic.name(), keyOf(message), n, e.toString());
            } else {
                LOG.debug("subscriber '{}' of topic '{}': handler failed for device '{}'", name, topic.name(),
                        keyOf(message), e);
            }
            return false;
        }
    }

    void abandoned(int n) {
        dropped.addAndGet(n);
    }

    private String keyOf(Object message) {
        try {
            return topic.key(topic.type().cast(message));
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** Asks every lane to finish what is queued and stop. */
    void beginDrain() {
        for (Lane lane : lanes) {
            lane.stop(Lane.DRAINING);
        }
    }

    /**
     * Waits for the lanes until {@code deadline} ({@link System#nanoTime()}), then aborts those still
     * running and counts what they leave behind as dropped.
     *
     * @return whether every lane drained in time
     */
    boolean awaitDrained(long deadline) {
        boolean drained = true;
        Thread self = Thread.currentThread();
        for (Lane lane : lanes) {
            Thread t = lane.thread();
            if (t == self) {
                drained = false;
                lane.stop(Lane.ABORTED);
                continue;
            }
            if (!join(t, deadline - System.nanoTime())) {
                drained = false;
                lane.stop(Lane.ABORTED);
                t.interrupt();
                join(t, Duration.ofSeconds(1).toNanos());
                if (t.isAlive()) {
                    LOG.warn("subscriber '{}': worker {} still running 1 s after abort (handler stuck)", name,
                            t.getName());
                }
            }
            while (lane.ring.poll() != null) {
                lane.polled.incrementAndGet();
                dropped.incrementAndGet();
            }
        }
        return drained;
    }

    private static boolean join(Thread t, long nanos) {
        boolean interrupted = false;
        try {
            while (t.isAlive()) {
                if (nanos <= 0) {
                    return false;
                }
                long start = System.nanoTime();
                try {
                    t.join(Math.max(1, nanos / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                nanos -= System.nanoTime() - start;
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Topic<T> topic() {
        return topic;
    }

    @Override
    public SubscriberMetrics metrics() {
        long depth = 0;
        long lag = 0;
        long delivered = 0;
        int capacity = 0;
        for (Lane lane : lanes) {
            depth += lane.ring.size();
            lag += lane.lag();
            capacity += lane.ring.capacity();
            delivered += lane.delivered();
        }
        return new SubscriberMetrics(name, topic.name(), overflow, capacity, delivered, failed.get(),
                dropped.get(), depth, Math.max(0, lag));
    }

    @Override
    public void close() {
        hub.unsubscribe(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + " on " + topic.name() + ", " + overflow + "]";
    }
}
