package io.iotpm.core.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The in-process {@link StreamHub}. Each subscriber has one or more lanes; a lane is a bounded
 * lock-free ring (capacity a power of two) drained in batches by one worker thread, so a slow
 * subscriber never slows another (except through its own {@link Overflow#BLOCK} back-pressure on
 * the publisher). A publish costs one CAS per subscriber and no allocation.
 *
 * <p>Threads come from the injected {@link ThreadFactory}; by default they are daemon threads
 * named {@code iotpm-hub-<subscriber>-<lane>}. All of them end in {@link #close(Duration)}.
 */
public final class InMemoryStreamHub implements StreamHub {

    /** Default queue capacity per lane. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Largest queue capacity per lane. */
    public static final int MAX_CAPACITY = 1 << 26;
    /** Default overflow policy. */
    public static final Overflow DEFAULT_OVERFLOW = Overflow.BLOCK;
    /** Default time {@link #close()} lets subscribers drain. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final int capacity;
    private final Overflow overflow;
    private final ThreadFactory threadFactory;
    private final boolean defaultThreadFactory;
    private final Duration closeTimeout;
    private final ConcurrentHashMap<String, TopicState> topics = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Subscriber<?>> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger generatedNames = new AtomicInteger();
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    private InMemoryStreamHub(Builder b) {
        this.capacity = b.capacity;
        this.overflow = b.overflow;
        this.threadFactory = b.threadFactory != null ? b.threadFactory : Thread::new;
        this.defaultThreadFactory = b.threadFactory == null;
        this.closeTimeout = b.closeTimeout;
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    static int checkCapacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "], but was " + capacity);
        }
        return capacity;
    }

    @Override
    public <T> void publish(Topic<T> topic, T message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("hub is closed; cannot publish to topic '" + topic.name() + "'");
        }
        if (!topic.type().isInstance(message)) {
            throw new IllegalArgumentException("topic '" + topic.name() + "' carries " + topic.type().getName()
                    + ", not " + message.getClass().getName());
        }
        TopicState state = topics.get(topic.name());
        if (state == null) {
            return;
        }
        if (state.type != topic.type()) {
            throw typeClash(topic, state.type);
        }
        StreamOverflowException failure = null;
        for (Subscriber<?> s : state.subscribers) {
            StreamOverflowException e = s.offer(message);
            if (e != null) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public <T> Subscription subscribe(Topic<T> topic, SubscriberOptions options, Consumer<? super T> handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("hub is closed; cannot subscribe to topic '" + topic.name() + "'");
            }
            TopicState state = topics.computeIfAbsent(topic.name(), n -> new TopicState(topic.type()));
            if (state.type != topic.type()) {
                throw typeClash(topic, state.type);
            }
            String name = options.name() != null ? options.name()
                    : topic.name() + "-" + generatedNames.incrementAndGet();
            for (Subscriber<?> s : subscribers) {
                if (s.name().equals(name)) {
                    throw new IllegalArgumentException("subscriber name '" + name + "' is already taken");
                }
            }
            int cap = ceilPow2(options.capacity() > 0 ? options.capacity() : capacity);
            Subscriber<T> s = new Subscriber<>(this, name, topic,
                    options.overflow() != null ? options.overflow() : overflow, cap, options.lanes(), handler);
            s.start(threadFactory, defaultThreadFactory);
            subscribers.add(s);
            Subscriber<?>[] old = state.subscribers;
            Subscriber<?>[] now = Arrays.copyOf(old, old.length + 1);
            now[old.length] = s;
            state.subscribers = now;
            return s;
        }
    }

    static int ceilPow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    private static IllegalArgumentException typeClash(Topic<?> topic, Class<?> existing) {
        return new IllegalArgumentException("topic '" + topic.name() + "' carries " + existing.getName()
                + " in this hub, not " + topic.type().getName());
    }

    void unsubscribe(Subscriber<?> s) {
        synchronized (lifecycle) {
            if (!s.markClosed()) {
                return;
            }
            TopicState state = topics.get(s.topic().name());
            Subscriber<?>[] old = state.subscribers;
            state.subscribers = Arrays.stream(old).filter(x -> x != s).toArray(Subscriber<?>[]::new);
            subscribers.remove(s);
        }
        s.beginDrain();
        s.awaitDrained(System.nanoTime() + closeTimeout.toNanos());
    }

    @Override
    public List<SubscriberMetrics> metrics() {
        List<SubscriberMetrics> out = new ArrayList<>();
        for (Subscriber<?> s : subscribers) {
            out.add(s.metrics());
        }
        return out;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<Subscriber<?>> all;
        synchronized (lifecycle) {
            if (closed) {
                return true;
            }
            closed = true;
            all = new ArrayList<>();
            for (Subscriber<?> s : subscribers) {
                if (s.markClosed()) {
                    all.add(s);
                }
            }
        }
        for (Subscriber<?> s : all) {
            s.beginDrain();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drained = true;
        for (Subscriber<?> s : all) {
            drained &= s.awaitDrained(deadline);
        }
        return drained;
    }

    @Override
    public void close() {
        close(closeTimeout);
    }

    @Override
    public String toString() {
        return "InMemoryStreamHub[" + subscribers.size() + " subscribers" + (closed ? ", closed" : "") + "]";
    }

    private static final class TopicState {
        final Class<?> type;
        volatile Subscriber<?>[] subscribers = new Subscriber<?>[0];

        TopicState(Class<?> type) {
            this.type = type;
        }
    }

    /** Builds an {@link InMemoryStreamHub}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private int capacity = DEFAULT_CAPACITY;
        private Overflow overflow = DEFAULT_OVERFLOW;
        private ThreadFactory threadFactory;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder() {
        }

        /**
         * @param capacity default queue capacity per subscriber lane, 1 to 2^26, rounded up to a
         *                 power of two; default {@value #DEFAULT_CAPACITY}
         */
        public Builder capacity(int capacity) {
            this.capacity = checkCapacity(capacity);
            return this;
        }

        /** @param overflow default overflow policy of subscribers; default {@link Overflow#BLOCK} */
        public Builder overflow(Overflow overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * @param threadFactory makes the subscriber worker threads (one per lane), used as given;
         *                      default daemon threads named {@code iotpm-hub-<subscriber>-<lane>}
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * @param closeTimeout how long {@link InMemoryStreamHub#close()} and {@link Subscription#close()}
         *                     let queues drain, {@code >= 0}; default 5 seconds
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must be >= 0, but was " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** @return a new hub; it starts threads only when something subscribes */
        public InMemoryStreamHub build() {
            return new InMemoryStreamHub(this);
        }
    }
}
