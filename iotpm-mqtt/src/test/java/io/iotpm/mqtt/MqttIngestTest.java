package io.iotpm.mqtt;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Ingest against a real mosquitto: round trip, device identity, bad payloads, backpressure. */
class MqttIngestTest {

    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();
    private static final ReadingJson JSON = ReadingJson.of(SCHEMA);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static MosquittoServer broker;

    private final StreamHub hub = StreamHub.inMemory().build();
    private final List<SensorReading> got = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = MosquittoServer.builder().config("max_inflight_messages 20").start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    private MqttSettings settings() {
        return MqttSettings.builder(broker.url()).build();
    }

    private static List<SensorReading> readings(String device, int n) {
        Fleet fleet = Fleet.builder().devices(1).idPrefix(device).seed(7).start(Instant.parse("2026-03-01T00:00:00Z"))
                .interval(Duration.ofSeconds(1)).build();
        return IntStream.range(0, n).mapToObj(i -> fleet.simulators().get(0).next()).toList();
    }

    @Test
    void readingsPublishedByDevices_reachTheHubUnchanged_oneObjectOrAnArray() throws Exception {
        hub.subscribe(Topic.READINGS, got::add);
        List<SensorReading> sent = readings("PUMP_", 3);
        String device = sent.get(0).deviceId();
        try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("rt/+/telemetry")
                .clientId("ingest-rt").build().start();
             RawClient device1 = new RawClient(broker.url())) {
            device1.publish("rt/" + device + "/telemetry", JSON.write(sent.get(0)));
            device1.publish("rt/" + device + "/telemetry", JSON.writeAll(sent.subList(1, 3)));
            await().atMost(WAIT).until(() -> got.size() == 3);
            // The ingest counts a reading after handing it to the hub, then acknowledges, then frees its slot.
            await().atMost(WAIT).until(() -> ingest.metrics().acknowledged() == 2 && ingest.metrics().inFlight() == 0);
            IngestMetrics m = ingest.metrics();
            assertThat(m.received()).isEqualTo(2);
            assertThat(m.published()).isEqualTo(3);
            assertThat(m.rejectedTotal()).isZero();
            assertThat(m.inFlight()).isZero();
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }

    @Test
    void simulatedDevicesOverMqtt_everyAcknowledgedReadingReachesTheHub() throws Exception {
        hub.subscribe(Topic.READINGS, got::add);
        Fleet fleet = Fleet.builder().devices(20).idPrefix("FAN_").seed(11).interval(Duration.ofSeconds(1)).build();
        try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("fleet/+/telemetry")
                .clientId("ingest-fleet").build().start();
             MqttDeviceFleet devices = MqttDeviceFleet.builder(settings()).prefix("fleet").clientIdPrefix("fleet-gen")
                     .connections(2).build().connect()) {
            FleetStreamer streamer = FleetStreamer.builder(devices).fleet(fleet).build();
            assertThat(streamer.advance(50)).isEqualTo(1_000);
            await().atMost(WAIT).until(() -> devices.acknowledged() == 1_000 && got.size() == 1_000);
            await().atMost(WAIT).until(() -> ingest.metrics().published() == 1_000);
        }
        // Per-device order survives the shared connections.
        for (String id : fleet.deviceIds()) {
            List<Instant> times = got.stream().filter(r -> r.deviceId().equals(id)).map(SensorReading::timestamp).toList();
            assertThat(times).hasSize(50).isSorted();
        }
    }

    @Test
    void batchingDevices_sendArraysOfTheirReadings_andFlushSendsTheRestInOrder() throws Exception {
        hub.subscribe(Topic.READINGS, got::add);
        Fleet fleet = Fleet.builder().devices(10).idPrefix("GW_").seed(12).interval(Duration.ofSeconds(1)).build();
        try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("gw/+/telemetry")
                .clientId("ingest-gw").build().start();
             MqttDeviceFleet devices = MqttDeviceFleet.builder(settings()).prefix("gw").clientIdPrefix("gw-gen")
                     .connections(2).readingsPerMessage(8).build().connect()) {
            FleetStreamer streamer = FleetStreamer.builder(devices).fleet(fleet).build();
            assertThat(streamer.advance(21)).isEqualTo(210);
            // Two full messages per device so far; the last 5 readings of each are held.
            await().atMost(WAIT).until(() -> devices.acknowledged() == 160 && got.size() == 160);
            assertThat(devices.sent()).isEqualTo(160);
            assertThat(ingest.metrics().received()).isEqualTo(20);
            devices.flush();
            await().atMost(WAIT).until(() -> devices.acknowledged() == 210 && got.size() == 210);
            assertThat(ingest.metrics().received()).isEqualTo(30);
        }
        for (String id : fleet.deviceIds()) {
            List<Instant> times = got.stream().filter(r -> r.deviceId().equals(id)).map(SensorReading::timestamp).toList();
            assertThat(times).hasSize(21).isSorted();
        }
        assertThatThrownBy(() -> MqttDeviceFleet.builder(settings()).readingsPerMessage(0))
                .hasMessage("readingsPerMessage must be 1 to 1000, but was 0");
    }

    @Test
    void badPayloads_areCountedByReason_deadLettered_andIngestGoesOn() throws Exception {
        hub.subscribe(Topic.READINGS, got::add);
        SensorReading good = readings("MOTOR_", 1).get(0);
        String device = good.deviceId();
        String goodJson = JSON.write(good);
        try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("bad/+/telemetry")
                .clientId("ingest-bad").deadLetterTopic("bad/dead-letter").loggedRejects(2).build().start();
             RawClient dlq = new RawClient(broker.url());
             RawClient dev = new RawClient(broker.url())) {
            dlq.subscribe("bad/dead-letter");
            String topic = "bad/" + device + "/telemetry";
            dev.publish(topic, "{not json");
            dev.publish(topic, goodJson.replace("\"temperature\"", "\"temprature\""));
            dev.publish(topic, goodJson.replaceFirst("\"temperature\":[-0-9.E]+", "\"temperature\":null"));
            dev.publish("bad/OTHER_1/telemetry", goodJson);
            dev.publish("bad/a..b/telemetry", goodJson);
            dev.publish(topic, goodJson);
            await().atMost(WAIT).until(() -> got.size() == 1 && dlq.received.size() == 5
                    && ingest.metrics().acknowledged() == 6 && ingest.metrics().deadLettered() == 5);
            IngestMetrics m = ingest.metrics();
            assertThat(m.rejected()).containsEntry(RejectReason.MALFORMED_JSON, 1L)
                    .containsEntry(RejectReason.UNKNOWN_CHANNEL, 1L).containsEntry(RejectReason.INVALID_VALUE, 1L)
                    .containsEntry(RejectReason.DEVICE_MISMATCH, 1L).containsEntry(RejectReason.INVALID_TOPIC, 1L);
            assertThat(m.acknowledged()).isEqualTo(6);
            assertThat(m.deadLettered()).isEqualTo(5);
            assertThat(ingest.isConnected()).isTrue();
            assertThat(dlq.received.get(0).payload()).contains("\"reason\":\"MALFORMED_JSON\"")
                    .contains("\"payload\":\"{not json\"").contains("\"topic\":\"" + topic + "\"");
            assertThat(dlq.received.get(3).payload()).contains("\"reason\":\"DEVICE_MISMATCH\"")
                    .contains("OTHER_1");
        }
        assertThat(got).containsExactly(good);
    }

    @Test
    void whileTheHubPushesBack_messagesStayUnacknowledgedWithTheBroker_andNoneIsLost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("slow").capacity(2).overflow(Overflow.BLOCK).build(),
                r -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    got.add(r);
                });
        List<SensorReading> sent = readings("SLOW_", 200);
        String topic = "bp/" + sent.get(0).deviceId() + "/telemetry";
        try (MqttIngest ingest = MqttIngest.builder(settings(), hub, SCHEMA).topicFilter("bp/+/telemetry")
                .clientId("ingest-bp").window(10).build().start();
             RawClient dev = new RawClient(broker.url())) {
            for (SensorReading r : sent) {
                dev.publish(topic, JSON.write(r));
            }
            // The hub took a few (one in the handler, two queued) and blocks the next publish; from then on
            // nothing more is acknowledged. Unacknowledged messages are bounded by the ingest itself: its
            // window (10), the one its worker holds and the one Paho's callback waits to offer. (Not by the
            // broker's max_inflight_messages 20: mosquitto 2.0.11 was seen sending 40.) The rest stays at
            // the broker.
            await().atMost(WAIT).until(() -> ingest.metrics().inFlight() >= 1 && ingest.metrics().published() >= 3);
            IngestMetrics held = ingest.metrics();
            assertThat(held.acknowledged()).isLessThanOrEqualTo(held.published()).isLessThan(10);
            assertThat(held.received() - held.acknowledged()).as("%s", held).isLessThanOrEqualTo(10 + 2);
            assertThat(held.received()).isLessThan(200);
            release.countDown();
            await().atMost(WAIT).until(() -> got.size() == 200 && ingest.metrics().acknowledged() == 200);
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }
}
