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
 * The in-process {@link StreamHub}, built by {@link InMemoryHubBuilder} (whose Javadoc describes
 * its lanes and threads): a topic's subscribers sit in a copy-on-write array, so a publish reads
 * it without locking and offers the message to each subscriber's lane.
 */
final class InMemoryStreamHub implements StreamHub {

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

    /** @param threadFactory the host's factory, or {@code null} for named daemon threads */
    InMemoryStreamHub(int capacity, Overflow overflow, ThreadFactory threadFactory, Duration closeTimeout) {
        this.capacity = capacity;
        this.overflow = overflow;
        this.threadFactory = threadFactory != null ? threadFactory : Thread::new;
        this.defaultThreadFactory = threadFactory == null;
        this.closeTimeout = closeTimeout;
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
}
