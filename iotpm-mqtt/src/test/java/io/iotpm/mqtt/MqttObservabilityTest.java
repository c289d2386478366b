package io.iotpm.mqtt;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.test.server.MosquittoServer;
import io.iotpm.core.SensorReading;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link MqttIngest#readiness()} and {@link MqttIngestMetrics} against a real mosquitto: up while connected, down
 * when the broker stops; counters that follow what arrived.
 */
class MqttObservabilityTest {

    @Test
    void meters_countReceivedPublishedAndRejectedMessages_andShowTheConnection() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SensorSchema schema = SensorSchema.industrialMotor();
        List<SensorReading> readings = Fleet.builder().devices(1).idPrefix("M_").seed(2)
                .start(Instant.parse("2026-03-01T00:00:00Z")).build().history(Duration.ofMinutes(5)).toList();
        try (MosquittoServer broker = MosquittoServer.builder().start();
             StreamHub hub = StreamHub.inMemory().build();
             MqttIngest ingest = MqttIngest.builder(MqttSettings.builder(broker.url()).build(), hub, schema)
                     .topicFilter("m/+/telemetry").clientId("ingest-meters").build().start()) {
            MqttIngestMetrics metrics = new MqttIngestMetrics(ingest, Tags.of("broker", "test"));
            metrics.bindTo(registry);
            try (RawClient dev = new RawClient(broker.url())) {
                for (SensorReading r : readings) {
                    dev.publish("m/" + r.deviceId() + "/telemetry", ReadingJson.of(schema).write(r));
                }
                dev.publish("m/M_001/telemetry", "{not json");
            }
            int n = readings.size();
            // The in-flight slot is freed just after the acknowledgement is counted.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    registry.get("iotpm.mqtt.messages.acknowledged").functionCounter().count() == n + 1
                            && registry.get("iotpm.mqtt.messages.in.flight").gauge().value() == 0);
            assertThat(registry.get("iotpm.mqtt.messages.received").functionCounter().count()).isEqualTo(n + 1);
            assertThat(registry.get("iotpm.mqtt.readings.published").functionCounter().count()).isEqualTo(n);
            assertThat(registry.get("iotpm.mqtt.messages.rejected").tags("reason", "malformed_json").functionCounter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("iotpm.mqtt.messages.rejected").functionCounters())
                    .hasSize(RejectReason.values().length);
            assertThat(registry.get("iotpm.mqtt.messages.in.flight").gauge().value()).isZero();
            assertThat(registry.get("iotpm.mqtt.connected").tags("broker", "test").gauge().value()).isEqualTo(1);
            broker.stop();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    registry.get("iotpm.mqtt.connected").gauge().value() == 0);
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
        }
    }

    @Test
    void readiness_isUpWhileConnected_downAfterTheBrokerStops_andUpAgainAfterItReturns() throws Exception {
        try (MosquittoServer broker = MosquittoServer.builder().start();
             StreamHub hub = StreamHub.inMemory().build()) {
            MqttSettings settings = MqttSettings.builder(broker.url()).maxReconnectDelay(Duration.ofSeconds(1)).build();
            MqttIngest ingest = MqttIngest.builder(settings, hub, SensorSchema.industrialMotor())
                    .topicFilter("ready/+/telemetry").clientId("ingest-ready").build();
            Callable<String> probe = ingest.readiness();
            assertThatThrownBy(probe::call).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not connected to the MQTT broker at " + broker.url());
            try (ingest) {
                ingest.start();
                await().atMost(Duration.ofSeconds(30)).until(ingest::isConnected);
                assertThat(probe.call()).contains("connected to " + broker.url()).contains("ready/+/telemetry");

                broker.stop();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(probe::call)
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected"));

                broker.restart();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(probe.call()).startsWith("connected"));
            }
            assertThatThrownBy(probe::call).isInstanceOf(IllegalStateException.class);
        }
    }
}
