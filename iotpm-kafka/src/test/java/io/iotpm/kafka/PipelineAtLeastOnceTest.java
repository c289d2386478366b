package io.iotpm.kafka;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.test.KafkaBroker;
import io.iotpm.storage.postgres.PostgresStorage;
import io.iotpm.test.server.PostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.iotpm.kafka.ContiguousWindowPredictor.SCHEMA;
import static io.iotpm.kafka.ContiguousWindowPredictor.T0;
import static io.iotpm.kafka.ContiguousWindowPredictor.reading;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline on the Kafka hub, in one JVM, on a real broker and PostgreSQL: a "crash" (the hub's
 * consumers stop without committing) makes the group redeliver; the next pipeline stores nothing
 * twice, alerts on nothing twice and predicts from windows rebuilt from storage. Bad records go to
 * the dead-letter topic with their reason while the stream goes on.
 */
class PipelineAtLeastOnceTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static KafkaBroker kafka;
    private static PostgresServer pg;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.builder().build().start();
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        pg.close();
    }

    private static KafkaStreamHub hub(String ns, Duration commitInterval) {
        return KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers()).topicPrefix(ns).groupId(ns + "g")
                .schema(SCHEMA).partitions(4).commitInterval(commitInterval).closeTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static PostgresStorage storage(String db) {
        return PostgresStorage.builder("127.0.0.1", pg.port(), pg.createDatabase(db)).user(pg.user())
                .password(pg.password()).build();
    }

    /** Counts readings per (device, time), as an alerting listener would fire on them. */
    private static final class Seen implements MonitoringListener {
        final Map<String, AtomicInteger> readings = new ConcurrentHashMap<>();
        final List<Prediction> predictions = new CopyOnWriteArrayList<>();

        @Override
        public void onReading(SensorReading r) {
            readings.computeIfAbsent(r.deviceId() + "@" + r.timestamp(), k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onPrediction(Prediction p) {
            predictions.add(p);
        }
    }

    private static MonitoringPipeline pipeline(KafkaStreamHub hub, PostgresStorage store, Seen seen) {
        return MonitoringPipeline.builder().hub(hub).storage(store).predictor(new ContiguousWindowPredictor())
                .listener(seen).name("pipe").batchTime(Duration.ofMillis(20)).predictEveryReadings(5)
                .predictionDelay(Duration.ofMillis(20)).build().start();
    }

    @Test
    void redeliveryAfterACrash_isStoredOnce_neverHandedToListenersTwice_andWindowsAreRebuiltFromStorage()
            throws Exception {
        String ns = "alo" + RUNS.incrementAndGet() + "-";
        int devices = 10;
        try (PostgresStorage store = storage("alo_" + RUNS.get());
             KafkaStreamHub producer = hub(ns, Duration.ofSeconds(1))) {
            Seen first = new Seen();
            // Commits only at the end: a crash before then leaves every reading uncommitted.
            KafkaStreamHub crashing = hub(ns, Duration.ofHours(1));
            MonitoringPipeline a = pipeline(crashing, store, first);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int s = 0; s < 100; s++) {
                for (int d = 0; d < devices; d++) {
                    acks.add(producer.send(Topic.READINGS, reading("D" + d, s)));
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> a.metrics().readingsStored() == 1000);
            // The crash: consumers stop without a commit, so the group still stands at offset 0.
            assertThat(crashing.close(Duration.ZERO)).isFalse();
            a.close();
            assertThat(first.readings).hasSize(1000).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));

            Seen second = new Seen();
            try (KafkaStreamHub hubB = hub(ns, Duration.ofMillis(200))) {
                MonitoringPipeline b = pipeline(hubB, store, second);
                for (int s = 100; s < 110; s++) {
                    for (int d = 0; d < devices; d++) {
                        producer.publish(Topic.READINGS, reading("D" + d, s));
                    }
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> b.metrics().readingsStored() == 100);
                b.flush();
                assertThat(b.readingsRedelivered()).isEqualTo(1000);
                assertThat(b.metrics().readingsReceived()).isEqualTo(100);
                assertThat(b.metrics().predictorErrors()).isZero();
                b.close();
            }
            assertThat(second.readings).hasSize(100).allSatisfy((k, n) -> {
                assertThat(n.get()).isEqualTo(1);
                assertThat(k).doesNotContain(T0.plusSeconds(99).toString());
            });
            // Windows rebuilt from storage: the first new reading of every device completes a window
            // (the predictor refuses one with a gap), and then every 5th.
            assertThat(second.predictions).hasSize(2 * devices)
                    .allSatisfy(p -> assertThat(p.timestamp()).isIn(T0.plusSeconds(100), T0.plusSeconds(105)));
            for (int d = 0; d < devices; d++) {
                List<SensorReading> all = store.range("D" + d, T0, T0.plusSeconds(1000));
                assertThat(all).hasSize(110);
            }
        }
    }

    @Test
    void badRecords_goToTheDeadLetterTopicWithTheReason_andTheStreamGoesOn() throws Exception {
        String ns = "dlq" + RUNS.incrementAndGet() + "-";
        try (KafkaStreamHub hub = hub(ns, Duration.ofMillis(200))) {
            AtomicLong good = new AtomicLong();
            var sub = hub.subscribe(Topic.READINGS, r -> good.incrementAndGet());
            String topic = hub.kafkaTopic(Topic.READINGS);
            try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                    new StringSerializer())) {
                raw.send(new ProducerRecord<>(topic, "X", "{not json")).get();
                raw.send(new ProducerRecord<>(topic, "X", "{\"device_id\":\"X\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                        + "\"seq\":1,\"load\":2,\"humidity\":3}")).get();
                raw.send(new ProducerRecord<>(topic, "../x", "{\"device_id\":\"../x\",\"timestamp\":"
                        + "\"2026-01-01T00:00:00Z\",\"seq\":1,\"load\":2}")).get();
                raw.send(new ProducerRecord<>(topic, "OK", "{\"device_id\":\"OK\",\"timestamp\":"
                        + "\"2026-01-01T00:00:00Z\",\"seq\":1,\"load\":2}")).get();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> good.get() == 1);
            assertThat(sub.awaitIdle(Duration.ofSeconds(30))).isTrue();
            KafkaSubscriberMetrics m = hub.kafkaMetrics().get(0);
            assertThat(m.deadLettered()).isEqualTo(3);
            assertThat(m.metrics().delivered()).isEqualTo(1);
            assertThat(m.partitions()).isNotEmpty().allSatisfy(p -> assertThat(p.lag()).isZero());
            assertThat(m.partitions().stream().mapToLong(PartitionLag::position).sum()).isEqualTo(4);

            List<String> reasons = new ArrayList<>();
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, ns + "dlq-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                c.subscribe(List.of(hub.deadLetterTopic(Topic.READINGS)));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (reasons.size() < 3 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        reasons.add(new String(r.headers().lastHeader(DeadLetters.REASON).value(),
                                StandardCharsets.UTF_8) + " | " + r.value());
                    }
                }
            }
            assertThat(reasons).hasSize(3);
            assertThat(reasons).anySatisfy(s -> assertThat(s).contains("{not json"));
            assertThat(reasons).anySatisfy(s -> assertThat(s).contains("humidity"));
            assertThat(reasons).anySatisfy(s -> assertThat(s).contains("../x"));
        }
    }
}
