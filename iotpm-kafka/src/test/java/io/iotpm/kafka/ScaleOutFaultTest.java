package io.iotpm.kafka;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.test.KafkaBroker;
import io.iotpm.storage.postgres.PostgresStorage;
import io.iotpm.test.server.PostgresServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.iotpm.kafka.ContiguousWindowPredictor.T0;
import static io.iotpm.kafka.ContiguousWindowPredictor.reading;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out under faults: pipeline JVMs of one consumer group share 12 partitions of readings,
 * stored in PostgreSQL. Mid-stream one JVM is killed with SIGKILL and another started, then the
 * broker is stopped and started again on the same log folder. Every reading the producer had
 * acknowledged is stored exactly once, and every device's predictions go on to the end.
 */
class ScaleOutFaultTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Test
    void twoPipelineJvms_100Devices_20kReadings_survive_aKill9_andABrokerRestart() throws Exception {
        run(2, 100, 200);
    }

    @Test
    @Tag("slow")
    void threePipelineJvms_1000Devices_500kReadings_survive_aKill9_andABrokerRestart() throws Exception {
        run(3, 1000, 500);
    }

    private void run(int jvms, int devices, int perDevice) throws Exception {
        String ns = "fault" + RUNS.incrementAndGet() + "-";
        String db = pg.createDatabase("fault_" + RUNS.get());
        List<Node> nodes = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.builder().partitions(12).build().start();
             PostgresStorage store = PostgresStorage.builder("127.0.0.1", pg.port(), db).user(pg.user())
                     .password(pg.password()).build();
             KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                     .topicPrefix(ns).groupId(ns + "test").schema(ContiguousWindowPredictor.SCHEMA).partitions(12)
                     .build()) {
            Map<String, Instant> lastPrediction = new ConcurrentHashMap<>();
            Subscription predictions = hub.subscribe(Topic.PREDICTIONS, SubscriberOptions.builder().name("checker")
                    .build(), p -> lastPrediction.merge(p.deviceId(), p.timestamp(),
                            (a, b) -> a.isAfter(b) ? a : b));
            for (int i = 0; i < jvms; i++) {
                nodes.add(Node.start(kafka.bootstrapServers(), ns, db, "node" + i));
            }
            for (Node n : nodes) {
                n.awaitReady();
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>(devices * perDevice);
            AtomicLong failed = new AtomicLong();
            long total = (long) devices * perDevice;
            for (int s = 0; s < perDevice; s++) {
                for (int d = 0; d < devices; d++) {
                    acks.add(hub.send(Topic.READINGS, reading(device(d), s)).exceptionally(e -> {
                        failed.incrementAndGet();
                        return null;
                    }));
                }
                long sent = (long) (s + 1) * devices;
                if (sent == total * 3 / 10) {
                    nodes.get(0).kill();
                    Node replacement = Node.start(kafka.bootstrapServers(), ns, db, "node" + nodes.size());
                    nodes.add(replacement);
                    replacement.awaitReady();
                }
                if (sent == total * 6 / 10) {
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
                    kafka.stop();
                    kafka.start();
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            assertThat(failed.get()).as("sends the broker did not acknowledge").isZero();

            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> store.devices().stream().mapToLong(i -> i.readingCount()).sum() >= total);
            for (int d = 0; d < devices; d++) {
                List<SensorReading> stored = store.range(device(d), T0, T0.plusSeconds(perDevice));
                assertThat(stored).as("readings of %s", device(d)).hasSize(perDevice);
                assertThat(stored.stream().map(SensorReading::timestamp).distinct().count()).isEqualTo(perDevice);
            }
            // Predictions resumed after both faults: each device's last one is at the end of its stream.
            Instant nearEnd = T0.plusSeconds(perDevice - 1 - 2L * ContiguousWindowPredictor.WINDOW);
            Awaitility.await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                for (int d = 0; d < devices; d++) {
                    assertThat(lastPrediction.get(device(d))).as("last prediction of %s", device(d)).isNotNull()
                            .isAfterOrEqualTo(nearEnd);
                }
            });
            assertThat(predictions.metrics().failed()).isZero();
            for (Node n : nodes) {
                if (n.alive()) {
                    assertThat(n.lastStatus()).as("windows rebuilt without a gap").contains("predictorErrors=0 ");
                }
            }
        } finally {
            for (Node n : nodes) {
                n.stop();
            }
        }
    }

    private static String device(int d) {
        return String.format("DEV_%04d", d);
    }

    /** A pipeline JVM started from this test's class path. */
    private static final class Node {
        final Process process;
        final String name;
        final CountDownLatch ready = new CountDownLatch(1);
        final List<String> lines = new CopyOnWriteArrayList<>();

        private Node(Process process, String name) {
            this.process = process;
            this.name = name;
        }

        static Node start(String servers, String ns, String db, String name) {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), PipelineNode.class.getName(), servers, ns,
                    Integer.toString(pg.port()), db, pg.user(), pg.password(), name).redirectErrorStream(true);
            try {
                Node n = new Node(pb.start(), name);
                Thread reader = new Thread(n::read, "fault-test-" + name);
                reader.setDaemon(true);
                reader.start();
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        ready.countDown();
                    }
                    if (lines.size() > 200) {
                        lines.remove(0);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process is gone.
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not start: " + String.join("\n", lines));
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        String lastStatus() {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("STATUS")) {
                    return lines.get(i);
                }
            }
            return "";
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
