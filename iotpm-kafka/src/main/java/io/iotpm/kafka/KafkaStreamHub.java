package io.iotpm.kafka;

import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link StreamHub} on Apache Kafka, so that producers and monitoring pipelines in many JVMs
 * share one stream. Each iotpm topic is a Kafka topic ({@link Topic#READINGS} →
 * {@value KafkaHubBuilder#DEFAULT_READINGS_TOPIC}, the original system's {@code KAFKA_TOPIC});
 * the record key is the device id, so one device stays on one partition and in order; the value is
 * the topic's {@link MessageCodec} text (readings: the flat JSON any producer can write).
 *
 * <p>Each subscriber is its own consumer group, {@code <groupId>.<subscriber name>}: subscribers
 * of one hub each see every message, and the same subscriber name in several JVMs (N pipelines)
 * shares the partitions. Offsets are committed only after the subscriber's
 * {@link io.iotpm.core.stream.DeliveryHook} said the handled messages are durable, so delivery is
 * at-least-once. Records that do not decode go to the dead-letter topic {@code <topic>-dlq}
 * with the reason in a header; the consumer goes on.
 *
 * <p>Where Kafka differs from the in-memory hub (documented in the README and held by the
 * contract's capability hooks): a new subscriber group starts at the oldest retained record (or the
 * newest, see {@link KafkaHubBuilder#fromLatest()}), not "from now on"; publish never waits for
 * subscribers (the log is the queue); {@link Overflow#BLOCK} loses nothing while the log retains
 * it; {@link Overflow#DROP_OLDEST} skips a subscriber that is more than its capacity behind to the
 * newest records; {@link Overflow#DROP_NEWEST} and {@link Overflow#FAIL} are refused at subscribe,
 * since a producer cannot see a consumer's queue.
 */
public final class KafkaStreamHub implements StreamHub {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamHub.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaHubBuilder config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicAdmin admin;
    private final DeadLetters deadLetters;
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();
    private final Map<TopicPartition, AtomicLong> acked = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
    private final List<KafkaSubscriber<?>> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger unnamed = new AtomicInteger();
    private final AtomicLong sendErrors = new AtomicLong();
    // Held while a send callback moves a record from in flight to acknowledged, and while lag is read.
    private final Object lagLock = new Object();
    private volatile boolean closed;

    KafkaStreamHub(KafkaHubBuilder b) {
        this.config = b;
        Map<String, Object> p = b.clientConfig();
        p.putAll(b.producerOverrides());
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            this.admin = new TopicAdmin(b.clientConfig(), b.partitions(), b.replicationFactor(), b.topicConfig());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        this.deadLetters = new DeadLetters(producer, KafkaHubBuilder.DEAD_LETTER_SUFFIX);
    }

    /** @return a builder with the defaults documented on its setters */
    public static KafkaHubBuilder builder() {
        return new KafkaHubBuilder();
    }

    /**
     * @param topic an iotpm topic
     * @return the Kafka topic it maps to
     */
    public String kafkaTopic(Topic<?> topic) {
        return config.kafkaTopic(topic.name());
    }

    /**
     * @param topic an iotpm topic
     * @return where records of it that no subscriber could decode go
     */
    public String deadLetterTopic(Topic<?> topic) {
        return deadLetters.topicOf(kafkaTopic(topic));
    }

    /**
     * Sends a message; returns once the producer took it (Kafka batches it). The record is durable
     * when the broker acknowledges it ({@code acks=all}); {@link #send(Topic, Object)} tells when.
     *
     * @throws IllegalStateException    if the hub is closed or the topic cannot be created
     * @throws IllegalArgumentException if the topic name is used for another type, or no codec is known
     */
    @Override
    public <T> void publish(Topic<T> topic, T message) {
        send(topic, message, null);
    }

    /**
     * Sends a message and tells when the cluster acknowledged it ({@code acks=all}: every in-sync
     * replica has it) or gave up after the producer's delivery timeout.
     *
     * @param topic   the topic
     * @param message the message
     * @param <T>     the message type
     * @return completes when acknowledged, or exceptionally with the producer's error
     * @throws IllegalStateException    if the hub is closed
     * @throws IllegalArgumentException if the topic name is used for another type, or no codec is known
     */
    public <T> CompletableFuture<Void> send(Topic<T> topic, T message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        send(topic, message, done);
        return done;
    }

    private <T> void send(Topic<T> topic, T message, CompletableFuture<Void> done) {
        if (closed) {
            throw new IllegalStateException("hub closed: cannot publish to '" + topic.name() + "'");
        }
        checkType(topic);
        MessageCodec<T> codec = config.codec(topic);
        String kafkaTopic = kafkaTopic(topic);
        admin.ensure(kafkaTopic);
        byte[] key = topic.key(message).getBytes(StandardCharsets.UTF_8);
        byte[] value = codec.encode(message);
        AtomicLong pending = inFlight.computeIfAbsent(kafkaTopic, k -> new AtomicLong());
        pending.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(kafkaTopic, key, value), (meta, e) -> {
                // Both moves at once: a metrics snapshot between them counted the record twice.
                synchronized (lagLock) {
                    if (e == null) {
                        acked.computeIfAbsent(new TopicPartition(meta.topic(), meta.partition()), k -> new AtomicLong())
                                .accumulateAndGet(meta.offset() + 1, Math::max);
                    }
                    pending.decrementAndGet();
                }
                if (e != null) {
                    long n = sendErrors.incrementAndGet();
                    if (n <= 10 || n % 1000 == 0) {
                        LOG.warn("record of device '{}' to '{}' not acknowledged ({} so far): {}", topic.key(message),
                                kafkaTopic, n, e.toString());
                    }
                }
                if (done != null) {
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                }
            });
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw e;
        }
    }

    private void checkType(Topic<?> topic) {
        Class<?> known = types.putIfAbsent(topic.name(), topic.type());
        if (known != null && !known.equals(topic.type())) {
            throw new IllegalArgumentException("topic '" + topic.name() + "' carries " + known.getName()
                    + " in this hub, not " + topic.type().getName());
        }
    }

    /**
     * Joins the subscriber's consumer group ({@code <groupId>.<name>}), one member per lane, and
     * returns once every member has its first partitions.
     *
     * @throws IllegalArgumentException if the name is taken, the topic name is used for another type,
     *                                  no codec is known, or the policy is {@link Overflow#DROP_NEWEST}
     *                                  or {@link Overflow#FAIL} (a producer cannot see a consumer's queue)
     * @throws IllegalStateException    if the hub is closed or the group is not joined within 60 s
     */
    @Override
    public synchronized <T> Subscription subscribe(Topic<T> topic, SubscriberOptions options,
                                                  Consumer<? super T> handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("hub closed: cannot subscribe to '" + topic.name() + "'");
        }
        Overflow overflow = options.overflow() != null ? options.overflow() : config.overflow();
        if (overflow == Overflow.DROP_NEWEST || overflow == Overflow.FAIL) {
            throw new IllegalArgumentException("overflow " + overflow + " is not supported by the Kafka hub: a"
                    + " producer cannot see a consumer's queue (use BLOCK, or DROP_OLDEST for a live view)");
        }
        String name = options.name() != null ? options.name() : topic.name() + "-" + unnamed.incrementAndGet();
        for (KafkaSubscriber<?> s : subscribers) {
            if (s.name().equals(name)) {
                throw new IllegalArgumentException("subscriber name '" + name + "' is taken in this hub");
            }
        }
        checkType(topic);
        MessageCodec<T> codec = config.codec(topic);
        String kafkaTopic = kafkaTopic(topic);
        admin.ensure(kafkaTopic);
        int capacity = options.capacity() > 0 ? options.capacity() : config.capacity();
        String group = config.groupPrefix() + "." + name;
        KafkaSubscriber<T> sub = new KafkaSubscriber<>(this, name, topic, kafkaTopic, group, overflow, capacity, codec,
                options.deliveryHook(), handler, deadLetters);
        List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        for (int i = 0; i < options.lanes(); i++) {
            Map<String, Object> c = config.clientConfig();
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "iotpm-" + name + "-" + i + "-" + Long.toHexString(System.nanoTime()));
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.fromLatestRequested() ? "latest" : "earliest");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(1000, Math.max(1, capacity)));
            c.putAll(config.consumerOverrides());
            consumers.add(new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        }
        subscribers.add(sub);
        try {
            sub.start(consumers, config.commitInterval(), config.ticker(), config.threadFactory(), JOIN_TIMEOUT);
        } catch (RuntimeException e) {
            unsubscribe(sub);
            throw e;
        }
        return sub;
    }

    long ackedEnd(TopicPartition tp) {
        AtomicLong a = acked.get(tp);
        return a == null ? 0 : a.get();
    }

    /** @return the lock under which a subscriber reads {@link #inFlight(String)} and the acknowledged ends together */
    Object lagLock() {
        return lagLock;
    }

    long inFlight(String kafkaTopic) {
        AtomicLong a = inFlight.get(kafkaTopic);
        return a == null ? 0 : a.get();
    }

    void unsubscribe(KafkaSubscriber<?> sub) {
        if (!sub.markClosed()) {
            return;
        }
        // What this hub published before is then known to the subscriber, so the drain covers it.
        producer.flush();
        sub.drain(System.nanoTime() + config.closeTimeout().toNanos());
        subscribers.remove(sub);
    }

    /** @return every open subscription's metrics, in subscription order */
    @Override
    public List<SubscriberMetrics> metrics() {
        return subscribers.stream().map(KafkaSubscriber::metrics).toList();
    }

    /** @return every open subscription's Kafka metrics: dead letters, commits and lag per partition */
    public List<KafkaSubscriberMetrics> kafkaMetrics() {
        return subscribers.stream().map(KafkaSubscriber::kafkaMetrics).toList();
    }

    /**
     * A readiness probe for a health endpoint: asks the cluster, through the hub's own admin client, to describe
     * itself. Returns a short detail when it answers; throws (the probe is down) when the hub is closed or the
     * cluster does not answer within {@code timeout}. The shape is core Java so a host can adapt it to its own
     * health-check type without this module knowing it (e.g. iotpm-api's {@code HealthCheck.of(probe)}).
     *
     * @param timeout how long the cluster may take to answer, &gt; 0 (keep it below the health endpoint's own
     *                limit, e.g. 1 s)
     * @return the probe
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Callable<String> readiness(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
        }
        return () -> {
            if (closed) {
                throw new IllegalStateException("the Kafka hub is closed");
            }
            try {
                int brokers = admin.brokers(timeout);
                return brokers + " broker(s) at " + config.bootstrapServers();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " did not answer within "
                        + timeout.toMillis() + " ms: " + (e.getCause() != null ? e.getCause() : e), e);
            }
        };
    }

    /** @return sends the cluster did not acknowledge (each logged) */
    public long sendErrors() {
        return sendErrors.get();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting messages, waits for the producer's sends, lets every subscriber handle and
     * commit what is known now within {@code timeout}, then stops the consumers and the producer.
     * What a subscriber did not handle stays uncommitted in its group. Idempotent.
     */
    @Override
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<KafkaSubscriber<?>> subs;
        synchronized (this) {
            if (closed) {
                return true;
            }
            closed = true;
            subs = new ArrayList<>(subscribers);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            producer.flush();
        } catch (RuntimeException e) {
            LOG.warn("producer flush at close failed: {}", e.toString());
        }
        boolean drained = true;
        for (KafkaSubscriber<?> s : subs) {
            if (s.markClosed()) {
                drained &= s.drain(deadline);
            }
        }
        subscribers.clear();
        producer.close(Duration.ofMillis(Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
        admin.close();
        return drained;
    }

    /** Closes with the builder's close timeout (default 10 s). */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    @Override
    public String toString() {
        return "KafkaStreamHub[" + config.bootstrapServers() + ", " + subscribers.size() + " subscribers]";
    }
}
