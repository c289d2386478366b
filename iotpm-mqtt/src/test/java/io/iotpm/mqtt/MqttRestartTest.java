package io.iotpm.mqtt;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No QoS-1 message the broker accepted is lost across a broker restart (with persistence) or a client restart. */
class MqttRestartTest {

    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();
    private static final ReadingJson JSON = ReadingJson.of(SCHEMA);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static MosquittoServer broker;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoServer.builder().persistence(true).config("max_inflight_messages 20").start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static MqttSettings settings() {
        return MqttSettings.builder(broker.url()).maxReconnectDelay(Duration.ofSeconds(1)).build();
    }

    private static List<SensorReading> readings(String prefix, int n) {
        Fleet fleet = Fleet.builder().devices(1).idPrefix(prefix).seed(5).start(Instant.parse("2026-03-01T00:00:00Z"))
                .interval(Duration.ofSeconds(1)).build();
        return IntStream.range(0, n).mapToObj(i -> fleet.simulators().get(0).next()).toList();
    }

    private static void publishAll(List<SensorReading> readings, String prefix) throws Exception {
        try (RawClient dev = new RawClient(broker.url())) {
            for (SensorReading r : readings) {
                dev.publish(prefix + "/" + r.deviceId() + "/telemetry", JSON.write(r));
            }
        }
    }

    @Test
    void messagesQueuedForAnOfflineIngest_surviveABrokerRestart_andArriveWhenItComesBack() throws Exception {
        List<SensorReading> sent = readings("OFF_", 300);
        try (StreamHub hub = StreamHub.inMemory().build()) {
            // The first start creates the persistent session and its subscription.
            MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("off/+/telemetry").clientId("ingest-off")
                    .build().start().close();
        }
        publishAll(sent, "off");
        broker.restart();
        List<SensorReading> got = new CopyOnWriteArrayList<>();
        try (StreamHub hub = StreamHub.inMemory().build()) {
            hub.subscribe(Topic.READINGS, got::add);
            try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("off/+/telemetry")
                    .clientId("ingest-off").build().start()) {
                await().atMost(WAIT).until(() -> got.size() >= 300 && ingest.metrics().inFlight() == 0);
            }
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }

    @Test
    void aBrokerRestartWhileTheIngestRuns_andAClientRestartWithUnacknowledgedMessages_loseNothing() throws Exception {
        List<SensorReading> sent = readings("RUN_", 300);
        Set<Instant> seen = new LinkedHashSet<>();
        CountDownLatch never = new CountDownLatch(1);
        // First client: its hub blocks after a few readings, so most messages are received but never acknowledged.
        try (StreamHub blocked = StreamHub.inMemory().build()) {
            blocked.subscribe(Topic.READINGS, SubscriberOptions.builder().name("stuck").capacity(1)
                    .overflow(Overflow.BLOCK).build(), r -> {
                        synchronized (seen) {
                            seen.add(r.timestamp());
                        }
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            MqttIngest first = MqttIngest.builder(settings(), blocked, SCHEMA).topicFilter("run/+/telemetry")
                    .clientId("ingest-run").build().start();
            publishAll(sent, "run");
            await().atMost(WAIT).until(() -> first.metrics().inFlight() >= 1);
            broker.restart();
            await().atMost(WAIT).until(() -> first.metrics().reconnects() >= 1 && first.isConnected());
            first.close();
            never.countDown();
        }
        List<SensorReading> got = new CopyOnWriteArrayList<>();
        try (StreamHub hub = StreamHub.inMemory().build()) {
            hub.subscribe(Topic.READINGS, got::add);
            try (MqttIngest second = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("run/+/telemetry")
                    .clientId("ingest-run").build().start()) {
                await().atMost(WAIT).until(() -> {
                    Set<Instant> all = new LinkedHashSet<>(seen);
                    got.forEach(r -> all.add(r.timestamp()));
                    return all.size() == 300 && second.metrics().inFlight() == 0;
                });
            }
        }
        // At least once: every reading arrived; what the first client's hub took may come again.
        Set<Instant> all = new LinkedHashSet<>(seen);
        got.forEach(r -> all.add(r.timestamp()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent.stream().map(SensorReading::timestamp).toList());
        List<Instant> notTakenByTheFirst = sent.stream().map(SensorReading::timestamp).filter(t -> !seen.contains(t)).toList();
        assertThat(notTakenByTheFirst).isNotEmpty();
        assertThat(got.stream().map(SensorReading::timestamp).toList()).containsAll(notTakenByTheFirst);
    }
}
