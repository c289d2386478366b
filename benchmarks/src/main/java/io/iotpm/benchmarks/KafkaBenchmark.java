package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.KafkaStreamHub;
import io.iotpm.kafka.MessageCodec;
import io.iotpm.kafka.test.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Kafka hub beside raw kafka-clients in the same run, on an in-process KRaft broker
 * ({@link KafkaBroker}, on this machine):
 * <ul>
 * <li>{@code hubPublishToDeliver}: {@value #BATCH} readings of 100 devices published through
 *     {@link KafkaStreamHub} and handed to one subscriber (one consumer group); score readings/s
 *     from the first publish to the last delivery.</li>
 * <li>{@code rawPublishToDeliver}: the same through a plain {@link KafkaProducer} (same
 *     {@code acks=all}, idempotence, {@code linger.ms=5}, {@code batch.size=64 KiB}) and a plain
 *     {@link KafkaConsumer} in its own group, with the same {@link MessageCodec} for readings.</li>
 * <li>{@code readingToStoredAtFixedRate}: a {@link MonitoringPipeline} (memory storage, 50 ms batch
 *     time) fed at 2,000 readings/s for 5 s on a one-partition topic; prints p50/p99 of the time
 *     from publish to the pipeline's stored counter covering the reading.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar KafkaBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class KafkaBenchmark {

    static final int BATCH = 20_000;
    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    /** The broker, the readings, the hub with its subscriber, and the raw producer and consumer. */
    @State(Scope.Benchmark)
    public static class Cluster {
        KafkaBroker kafka;
        SensorReading[] readings;
        KafkaStreamHub hub;
        final AtomicLong hubDelivered = new AtomicLong();
        KafkaProducer<byte[], byte[]> producer;
        MessageCodec<SensorReading> codec = MessageCodec.readings(SCHEMA);
        final AtomicLong rawDelivered = new AtomicLong();
        volatile boolean running = true;
        Thread rawConsumer;
        String rawTopic;

        @Setup(Level.Trial)
        public void start() throws Exception {
            kafka = KafkaBroker.builder().partitions(4).build().start();
            Fleet fleet = Fleet.builder().devices(100).idPrefix("PUMP_").seed(1).interval(Duration.ofSeconds(1))
                    .start(Instant.parse("2026-01-01T00:00:00Z")).build();
            List<SensorReading> all = new ArrayList<>();
            while (all.size() < BATCH) {
                all.addAll(fleet.next());
            }
            readings = all.subList(0, BATCH).toArray(SensorReading[]::new);
            hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers()).topicPrefix("hub-")
                    .partitions(4).build();
            hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("bench").build(),
                    r -> hubDelivered.incrementAndGet());
            rawTopic = "raw-readings";
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(rawTopic, 4, (short) 1)))
                        .all().get();
            }
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024),
                    new ByteArraySerializer(), new ByteArraySerializer());
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "raw", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            rawConsumer = new Thread(() -> {
                consumer.subscribe(List.of(rawTopic));
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        codec.decode(r.value());
                        rawDelivered.incrementAndGet();
                    }
                }
                consumer.close();
            }, "raw-consumer");
            rawConsumer.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            rawConsumer.join();
            producer.close();
            hub.close();
            kafka.close();
        }
    }

    private static void await(AtomicLong counter, long target) {
        while (counter.get() < target) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** @return readings delivered through the hub */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long hubPublishToDeliver(Cluster c) {
        long target = c.hubDelivered.get() + BATCH;
        for (SensorReading r : c.readings) {
            c.hub.publish(Topic.READINGS, r);
        }
        await(c.hubDelivered, target);
        return target;
    }

    /** @return readings delivered through raw kafka-clients */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rawPublishToDeliver(Cluster c) {
        long target = c.rawDelivered.get() + BATCH;
        for (SensorReading r : c.readings) {
            c.producer.send(new ProducerRecord<>(c.rawTopic, r.deviceId().getBytes(StandardCharsets.UTF_8),
                    c.codec.encode(r)));
        }
        await(c.rawDelivered, target);
        return target;
    }

    /** A pipeline on a one-partition topic, so stored order is publish order. */
    @State(Scope.Benchmark)
    public static class Latency {
        KafkaBroker kafka;
        KafkaStreamHub hub;
        StorageBackend storage;
        MonitoringPipeline pipeline;
        SensorReading[] readings;
        final List<Long> samples = new ArrayList<>();
        int run;

        @Setup(Level.Trial)
        public void start() {
            kafka = KafkaBroker.builder().partitions(1).build().start();
            hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers()).partitions(1)
                    .commitInterval(Duration.ofMillis(200)).build();
            storage = StorageBackends.open("memory:");
            pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).batchTime(Duration.ofMillis(50))
                    .build().start();
            Fleet fleet = Fleet.builder().devices(100).idPrefix("PUMP_").seed(2).interval(Duration.ofSeconds(1))
                    .start(Instant.parse("2026-01-01T00:00:00Z")).build();
            List<SensorReading> all = new ArrayList<>();
            while (all.size() < 200_000) {
                all.addAll(fleet.next());
            }
            readings = all.toArray(SensorReading[]::new);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            long[] s = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            if (s.length > 0) {
                System.out.printf("%nreading->stored at 2000/s: p50 %.1f ms, p99 %.1f ms (%d readings)%n",
                        s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s.length);
            }
            pipeline.close();
            hub.close();
            storage.close();
            kafka.close();
        }
    }

    /** @return readings stored; the latencies are printed at the end of the trial */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long readingToStoredAtFixedRate(Latency l) {
        int n = 10_000;
        int first = (l.run++ * n) % (l.readings.length - n);
        long[] sent = new long[n];
        long start = System.nanoTime();
        long base = l.pipeline.metrics().readingsStored();
        long periodNanos = 500_000;
        long done = 0;
        for (int i = 0; i < n; i++) {
            long due = start + i * periodNanos;
            while (System.nanoTime() < due) {
                done = collect(l, sent, base, done);
                LockSupport.parkNanos(50_000);
            }
            sent[i] = System.nanoTime();
            l.hub.publish(Topic.READINGS, l.readings[first + i]);
        }
        while (done < n) {
            done = collect(l, sent, base, done);
            LockSupport.parkNanos(100_000);
        }
        return done;
    }

    private static long collect(Latency l, long[] sent, long base, long done) {
        long stored = Math.min(sent.length, l.pipeline.metrics().readingsStored() - base);
        long now = System.nanoTime();
        for (long i = done; i < stored; i++) {
            l.samples.add(now - sent[(int) i]);
        }
        return Math.max(done, stored);
    }
}
