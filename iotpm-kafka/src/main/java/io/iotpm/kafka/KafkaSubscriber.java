package io.iotpm.kafka;

import io.iotpm.core.stream.DeliveryHook;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.core.time.Ticker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One subscriber of a {@link KafkaStreamHub}: a consumer group of its own ({@code <groupId>.<name>})
 * with one member per lane, its overflow policy, handler, delivery hook and counters.
 */
final class KafkaSubscriber<T> implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamHub.class);
    private static final long LOG_FULL = 10;

    private final KafkaStreamHub hub;
    private final String name;
    private final Topic<T> topic;
    private final String kafkaTopic;
    private final String groupId;
    private final Overflow overflow;
    private final int capacity;
    private final MessageCodec<T> codec;
    private final DeliveryHook hook;
    private final Consumer<? super T> handler;
    private final DeadLetters deadLetters;
    private final List<ConsumerLane> lanes = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaSubscriber(KafkaStreamHub hub, String name, Topic<T> topic, String kafkaTopic, String groupId,
                    Overflow overflow, int capacity, MessageCodec<T> codec, DeliveryHook hook,
                    Consumer<? super T> handler, DeadLetters deadLetters) {
        this.hub = hub;
        this.name = name;
        this.topic = topic;
        this.kafkaTopic = kafkaTopic;
        this.groupId = groupId;
        this.overflow = overflow;
        this.capacity = capacity;
        this.codec = codec;
        this.hook = hook;
        this.handler = handler;
        this.deadLetters = deadLetters;
    }

    /**
     * Starts one consumer thread per lane and waits until each has joined the group.
     *
     * @param threads the host's thread factory, or {@code null} for named daemon threads
     */
    void start(List<KafkaConsumer<byte[], byte[]>> consumers, Duration commitInterval, Ticker ticker,
               ThreadFactory threads, Duration timeout) {
        for (int i = 0; i < consumers.size(); i++) {
            ConsumerLane lane = new ConsumerLane(this, consumers.get(i), commitInterval, ticker);
            lanes.add(lane);
            Thread t;
            if (threads != null) {
                t = threads.newThread(lane);
            } else {
                t = new Thread(lane, "iotpm-kafka-" + name + "-" + i);
                t.setDaemon(true);
            }
            lane.start(t);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (ConsumerLane lane : lanes) {
                if (!lane.firstAssignment.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("subscriber '" + name + "' did not join consumer group '"
                            + groupId + "' within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscriber '" + name + "' joined its group", e);
        }
    }

    String kafkaTopic() {
        return kafkaTopic;
    }

    /** Decodes a record and hands it on by the overflow policy; never throws. */
    void deliver(ConsumerRecord<byte[], byte[]> r, ConsumerLane.PartitionState st) {
        if (overflow == Overflow.DROP_OLDEST && endOf(st) - r.offset() > capacity) {
            // A live view that fell more than `capacity` records behind skips to the newest ones.
            dropped.incrementAndGet();
            return;
        }
        T message;
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("record has no value");
            }
            message = codec.decode(r.value());
        } catch (RuntimeException e) {
            long n = deadLettered.incrementAndGet();
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (n <= LOG_FULL || n % 1000 == 0) {
                LOG.warn("subscriber '{}': record {}/{}/{} refused ({} so far), sent to {}: {}", name, r.topic(),
                        r.partition(), r.offset(), n, deadLetters.topicOf(r.topic()), reason);
            }
            deadLetters.send(r, name, reason);
            return;
        }
        try {
            handler.accept(message);
            delivered.incrementAndGet();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            long n = failed.incrementAndGet();
            if (n <= LOG_FULL || n % 1000 == 0) {
                LOG.warn("subscriber '{}' of topic '{}': handler failed for device '{}' ({} so far)", name,
                        topic.name(), keyOf(message), n, e);
            }
        }
    }

    private String keyOf(T message) {
        try {
            return topic.key(message);
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** @return the newest end offset known for a partition: the consumer's fetches or this hub's sends */
    long endOf(ConsumerLane.PartitionState st) {
        return Math.max(st.end, hub.ackedEnd(st.tp));
    }

    boolean beforeCommit() {
        try {
            return hook.beforeCommit();
        } catch (RuntimeException e) {
            LOG.warn("subscriber '{}': delivery hook failed before a commit; not committing", name, e);
            return false;
        }
    }

    void committed() {
        commits.incrementAndGet();
    }

    void reassigned() {
        try {
            hook.onReassigned();
        } catch (RuntimeException e) {
            LOG.warn("subscriber '{}': delivery hook failed on reassignment", name, e);
        }
    }

    /**
     * Lets every lane finish the records known now and commit, until {@code deadline}; then stops
     * the rest and counts what they leave as dropped (for this subscriber: the group keeps them
     * uncommitted, so its next member gets them).
     *
     * @return whether every lane finished in time
     */
    boolean drain(long deadline) {
        lanes.forEach(ConsumerLane::drain);
        boolean drained = true;
        for (ConsumerLane lane : lanes) {
            Thread t = lane.thread();
            if (t == Thread.currentThread()) {
                drained = false;
                lane.abort();
                continue;
            }
            if (!join(t, deadline - System.nanoTime())) {
                drained = false;
                lane.abort();
                join(t, TimeUnit.SECONDS.toNanos(1));
                if (t.isAlive()) {
                    LOG.warn("subscriber '{}': {} still running 1 s after abort (handler stuck)", name, t.getName());
                }
                dropped.addAndGet(Math.max(0, lane.lag() - (lane.inHandler ? 1 : 0)));
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
        long lag;
        boolean busy = false;
        synchronized (hub.lagLock()) {
            long seenUnacked = 0;
            lag = 0;
            for (ConsumerLane lane : lanes) {
                lag += lane.lag();
                busy |= lane.inHandler;
                for (ConsumerLane.PartitionState st : lane.assigned.values()) {
                    seenUnacked += Math.max(0, st.end - hub.ackedEnd(st.tp));
                }
            }
            // A fetch may return a record before its producer hears the acknowledgement, so a send still
            // in flight can already be inside the consumer's end; counting it again made the lag one
            // too high. In-flight sends count only beyond what the consumer saw past the acknowledged ends.
            if (!closed.get()) {
                lag += Math.max(0, hub.inFlight(kafkaTopic) - seenUnacked);
            }
        }
        return new SubscriberMetrics(name, topic.name(), overflow, capacity, delivered.get(), failed.get(),
                dropped.get(), Math.max(0, lag - (busy ? 1 : 0)), lag);
    }

    /** @return the counters with Kafka's own: dead letters, commits, lag per partition */
    KafkaSubscriberMetrics kafkaMetrics() {
        List<PartitionLag> parts = new ArrayList<>();
        for (ConsumerLane lane : lanes) {
            for (Map.Entry<?, ConsumerLane.PartitionState> e : lane.assigned.entrySet()) {
                ConsumerLane.PartitionState st = e.getValue();
                long end = endOf(st);
                parts.add(new PartitionLag(kafkaTopic, st.tp.partition(), st.next, end, Math.max(0, end - st.next)));
            }
        }
        parts.sort(Comparator.comparingInt(PartitionLag::partition));
        return new KafkaSubscriberMetrics(metrics(), kafkaTopic, groupId, deadLettered.get(), commits.get(), parts);
    }

    @Override
    public void close() {
        hub.unsubscribe(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + " on " + kafkaTopic + ", group " + groupId + ", " + overflow + "]";
    }
}
