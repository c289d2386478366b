package io.iotpm.kafka;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.Topic;
import io.iotpm.core.time.Ticker;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Builds a {@link KafkaStreamHub}. Only {@link #bootstrapServers(String)} is required. The producer
 * is always idempotent with {@code acks=all} (a retried send is written once, and an acknowledged
 * record is on every in-sync replica); {@link #config(String, Object)} passes any other client
 * setting through (security, timeouts, compression). Reusable; {@link #build()} does not change it.
 */
public final class KafkaHubBuilder {

    /** Default Kafka topic of {@link Topic#READINGS}: the original system's {@code KAFKA_TOPIC}. */
    public static final String DEFAULT_READINGS_TOPIC = "iot_sensor_data";
    /** Default Kafka topic of {@link Topic#PREDICTIONS}. */
    public static final String DEFAULT_PREDICTIONS_TOPIC = "iot_predictions";
    /** Default Kafka topic of the alerts topic. */
    public static final String DEFAULT_ALERTS_TOPIC = "iot_alerts";
    /** Default consumer group prefix; a subscriber's group is {@code <groupId>.<subscriber name>}. */
    public static final String DEFAULT_GROUP_ID = "iotpm";
    /** Default partitions of the topics the hub creates. */
    public static final int DEFAULT_PARTITIONS = 12;
    /** Default interval between offset commits. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** Default time {@code close()} lets subscribers finish. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Default capacity of a subscriber: how far a {@link Overflow#DROP_OLDEST} one may fall behind. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Suffix of a topic's dead-letter topic. */
    static final String DEAD_LETTER_SUFFIX = "-dlq";

    private String bootstrapServers;
    private String groupId = DEFAULT_GROUP_ID;
    private String prefix = "";
    private final Map<String, String> topics = new HashMap<>();
    private final Map<String, MessageCodec<?>> codecs = new HashMap<>();
    private SensorSchema schema = SensorSchema.industrialMotor();
    private final Map<String, Object> common = new LinkedHashMap<>();
    private final Map<String, Object> producer = new LinkedHashMap<>();
    private final Map<String, Object> consumer = new LinkedHashMap<>();
    private final Map<String, String> topicConfig = new LinkedHashMap<>();
    private int partitions = DEFAULT_PARTITIONS;
    private Short replicationFactor;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Overflow overflow = Overflow.BLOCK;
    private int capacity = DEFAULT_CAPACITY;
    private boolean fromLatest;
    private ThreadFactory threadFactory;
    private Ticker ticker = Ticker.system();

    KafkaHubBuilder() {
    }

    /** @param servers the cluster, {@code host:port[,host:port...]} (required; {@code KAFKA_SERVERS}) */
    public KafkaHubBuilder bootstrapServers(String servers) {
        Objects.requireNonNull(servers, "servers");
        if (servers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank, but was '" + servers + "'");
        }
        this.bootstrapServers = servers;
        return this;
    }

    /**
     * Takes {@code KAFKA_SERVERS} and {@code KAFKA_TOPIC} from the configuration.
     *
     * @param config the configuration
     * @return this
     */
    public KafkaHubBuilder config(IotpmConfig config) {
        bootstrapServers(config.get(IotpmConfig.KAFKA_SERVERS));
        return readingsTopic(config.get(IotpmConfig.KAFKA_TOPIC));
    }

    /** @param name Kafka topic of readings; default {@value #DEFAULT_READINGS_TOPIC} */
    public KafkaHubBuilder readingsTopic(String name) {
        return topic(Topic.READINGS_NAME, name);
    }

    /** @param name Kafka topic of predictions; default {@value #DEFAULT_PREDICTIONS_TOPIC} */
    public KafkaHubBuilder predictionsTopic(String name) {
        return topic(Topic.PREDICTIONS_NAME, name);
    }

    /** @param name Kafka topic of alerts; default {@value #DEFAULT_ALERTS_TOPIC} */
    public KafkaHubBuilder alertsTopic(String name) {
        return topic(Topic.ALERTS_NAME, name);
    }

    /**
     * @param iotpmTopic an iotpm topic name
     * @param kafkaTopic its Kafka topic, {@code [A-Za-z0-9._-]{1,200}}; default the iotpm name (for
     *                   other topics than readings, predictions and alerts)
     */
    public KafkaHubBuilder topic(String iotpmTopic, String kafkaTopic) {
        Objects.requireNonNull(iotpmTopic, "iotpmTopic");
        checkName("kafkaTopic", kafkaTopic);
        topics.put(iotpmTopic, kafkaTopic);
        return this;
    }

    /**
     * @param prefix put before every Kafka topic name (e.g. an environment, or a test's own
     *               namespace), {@code [A-Za-z0-9._-]{0,50}}; default none
     */
    public KafkaHubBuilder topicPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[A-Za-z0-9._-]{0,50}")) {
            throw new IllegalArgumentException("topicPrefix must match [A-Za-z0-9._-]{0,50}, but was '" + prefix + "'");
        }
        this.prefix = prefix;
        return this;
    }

    /** @param groupId consumer group prefix, {@code [A-Za-z0-9._-]{1,200}}; default {@value #DEFAULT_GROUP_ID} */
    public KafkaHubBuilder groupId(String groupId) {
        checkName("groupId", groupId);
        this.groupId = groupId;
        return this;
    }

    /** @param schema the channels of readings on the readings topic; default {@link SensorSchema#industrialMotor()} */
    public KafkaHubBuilder schema(SensorSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * @param topic a topic
     * @param codec how its messages become record values; readings, predictions and {@code String}
     *              topics have one by default, alerts and other types need one
     * @param <T>   the message type
     */
    public <T> KafkaHubBuilder codec(Topic<T> topic, MessageCodec<T> codec) {
        codecs.put(Objects.requireNonNull(topic, "topic").name(), Objects.requireNonNull(codec, "codec"));
        return this;
    }

    /**
     * @param key   a Kafka client setting for producer, consumers and admin (security, timeouts...);
     *              {@code acks} and {@code enable.idempotence} cannot be weakened
     * @param value its value
     */
    public KafkaHubBuilder config(String key, Object value) {
        common.put(checkKey(key), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @param key a producer setting (e.g. {@code linger.ms}, {@code compression.type}) @param value its value */
    public KafkaHubBuilder producerConfig(String key, Object value) {
        producer.put(checkKey(key), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @param key a consumer setting (e.g. {@code max.poll.records}) @param value its value */
    public KafkaHubBuilder consumerConfig(String key, Object value) {
        consumer.put(checkKey(key), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @param key a setting of the topics the hub creates (e.g. {@code min.insync.replicas}) @param value its value */
    public KafkaHubBuilder topicConfig(String key, String value) {
        topicConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @param partitions partitions of topics the hub creates, 1 to 10,000; default {@value #DEFAULT_PARTITIONS} */
    public KafkaHubBuilder partitions(int partitions) {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be in [1, 10000], but was " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /** @param factor replication factor of topics the hub creates, 1 to 16; default the broker's */
    public KafkaHubBuilder replicationFactor(int factor) {
        if (factor < 1 || factor > 16) {
            throw new IllegalArgumentException("replicationFactor must be in [1, 16], but was " + factor);
        }
        this.replicationFactor = (short) factor;
        return this;
    }

    /** @param interval time between offset commits, {@code >= 1 ms}; default 1 s */
    public KafkaHubBuilder commitInterval(Duration interval) {
        this.commitInterval = atLeastOneMilli("commitInterval", interval);
        return this;
    }

    /** @param timeout how long {@code close()} lets subscribers finish, {@code >= 0}; default 10 s */
    public KafkaHubBuilder closeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must be >= 0, but was " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /** @param overflow default policy of subscribers: {@code BLOCK} (default) or {@code DROP_OLDEST} */
    public KafkaHubBuilder overflow(Overflow overflow) {
        Objects.requireNonNull(overflow, "overflow");
        if (overflow == Overflow.DROP_NEWEST || overflow == Overflow.FAIL) {
            throw new IllegalArgumentException("overflow must be BLOCK or DROP_OLDEST on Kafka, but was " + overflow);
        }
        this.overflow = overflow;
        return this;
    }

    /** @param capacity default subscriber capacity (records per poll, DROP_OLDEST's window), {@code >= 1}; default 8192 */
    public KafkaHubBuilder capacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * @param threadFactory makes the subscribers' consumer threads (one per lane); default daemons named
     *                      {@code iotpm-kafka-<subscriber>-<lane>}
     */
    public KafkaHubBuilder threadFactory(ThreadFactory threadFactory) {
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        return this;
    }

    /** @param ticker measures the commit interval; default {@link Ticker#system()} */
    public KafkaHubBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** A new subscriber group starts at the newest record instead of the oldest retained one. */
    public KafkaHubBuilder fromLatest() {
        this.fromLatest = true;
        return this;
    }

    /**
     * @return the hub, its producer connected lazily
     * @throws IllegalStateException if the bootstrap servers are missing
     */
    public KafkaStreamHub build() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("bootstrapServers(...) is required");
        }
        return new KafkaStreamHub(copy());
    }

    private KafkaHubBuilder copy() {
        KafkaHubBuilder c = new KafkaHubBuilder();
        c.bootstrapServers = bootstrapServers;
        c.groupId = groupId;
        c.prefix = prefix;
        c.topics.putAll(topics);
        c.codecs.putAll(codecs);
        c.schema = schema;
        c.common.putAll(common);
        c.producer.putAll(producer);
        c.consumer.putAll(consumer);
        c.topicConfig.putAll(topicConfig);
        c.partitions = partitions;
        c.replicationFactor = replicationFactor;
        c.commitInterval = commitInterval;
        c.closeTimeout = closeTimeout;
        c.overflow = overflow;
        c.capacity = capacity;
        c.fromLatest = fromLatest;
        c.threadFactory = threadFactory;
        c.ticker = ticker;
        return c;
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.equals(ProducerConfig.ACKS_CONFIG) || key.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
            throw new IllegalArgumentException("'" + key + "' is fixed (acks=all, idempotent producer), but was set");
        }
        return key;
    }

    private static void checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(what + " must match [A-Za-z0-9._-]{1,200}, but was '" + name + "'");
        }
    }

    private static Duration atLeastOneMilli(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(what + " must be >= 1 ms, but was " + d);
        }
        return d;
    }

    // Read by the hub, on its own copy.

    String bootstrapServers() {
        return bootstrapServers;
    }

    String groupPrefix() {
        return groupId;
    }

    String kafkaTopic(String iotpmTopic) {
        String t = topics.get(iotpmTopic);
        if (t != null) {
            return prefix + t;
        }
        return prefix + switch (iotpmTopic) {
            case Topic.READINGS_NAME -> DEFAULT_READINGS_TOPIC;
            case Topic.PREDICTIONS_NAME -> DEFAULT_PREDICTIONS_TOPIC;
            case Topic.ALERTS_NAME -> DEFAULT_ALERTS_TOPIC;
            default -> iotpmTopic;
        };
    }

    @SuppressWarnings("unchecked")
    <T> MessageCodec<T> codec(Topic<T> topic) {
        MessageCodec<?> c = codecs.get(topic.name());
        if (c != null) {
            return (MessageCodec<T>) c;
        }
        if (topic.type() == SensorReading.class) {
            MessageCodec<?> readings = MessageCodec.readings(schema);
            codecs.put(topic.name(), readings);
            return (MessageCodec<T>) readings;
        }
        if (topic.type() == Prediction.class) {
            return (MessageCodec<T>) codecs.computeIfAbsent(topic.name(), k -> MessageCodec.predictions());
        }
        if (topic.type() == String.class) {
            return (MessageCodec<T>) codecs.computeIfAbsent(topic.name(), k -> MessageCodec.text());
        }
        throw new IllegalArgumentException("no codec for topic '" + topic.name() + "' of " + topic.type().getName()
                + ": register one with KafkaStreamHub.builder().codec(topic, codec)");
    }

    Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.putAll(common);
        return c;
    }

    Map<String, Object> producerOverrides() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.putAll(producer);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    Map<String, Object> consumerOverrides() {
        return consumer;
    }

    Map<String, String> topicConfig() {
        return topicConfig;
    }

    int partitions() {
        return partitions;
    }

    Optional<Short> replicationFactor() {
        return Optional.ofNullable(replicationFactor);
    }

    Duration commitInterval() {
        return commitInterval;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    /** @return the host's thread factory, or {@code null} for named daemon threads */
    ThreadFactory threadFactory() {
        return threadFactory;
    }

    Ticker ticker() {
        return ticker;
    }

    Overflow overflow() {
        return overflow;
    }

    int capacity() {
        return capacity;
    }

    boolean fromLatestRequested() {
        return fromLatest;
    }

    SensorSchema schema() {
        return schema;
    }
}
