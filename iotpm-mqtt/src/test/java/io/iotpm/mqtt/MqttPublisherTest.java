package io.iotpm.mqtt;

import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Predictions and alerts go back to devices/{id}/..., the latest prediction retained. */
class MqttPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static MosquittoServer broker;

    /** A host's alert type: the module knows only core, so the caller names the type and its JSON. */
    record TestAlert(String deviceId, String message) {
        String json() {
            return "{\"device_id\":\"" + deviceId + "\",\"message\":\"" + message + "\"}";
        }
    }

    @BeforeAll
    static void startBroker() {
        broker = MosquittoServer.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Prediction prediction(String device, double p, Instant t) {
        return new Prediction(device, t, p, p > 0.7 ? RiskLevel.HIGH : RiskLevel.LOW, p > 0.7, 42.0, "lstm-1");
    }

    @Test
    void predictionsAndAlerts_arePublishedPerDevice_andTheLatestPredictionIsRetained() throws Exception {
        Topic<TestAlert> alerts = Topic.alerts(TestAlert.class, TestAlert::deviceId);
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        try (StreamHub hub = StreamHub.inMemory().build();
             MqttPublisher out = MqttPublisher.builder(MqttSettings.builder(broker.url()).build(), hub)
                     .alerts(alerts, TestAlert::json).build().start();
             RawClient hmi = new RawClient(broker.url())) {
            hmi.subscribe("devices/+/alerts");
            hmi.subscribe("devices/+/predictions");
            hub.publish(Topic.PREDICTIONS, prediction("PUMP_001", 0.2, t));
            hub.publish(Topic.PREDICTIONS, prediction("PUMP_001", 0.9, t.plusSeconds(60)));
            hub.publish(alerts, new TestAlert("PUMP_001", "overheat"));
            await().atMost(WAIT).until(() -> hmi.received.size() == 3 && out.metrics().delivered() == 3);
            assertThat(hmi.received).extracting(RawClient.Received::topic).containsExactlyInAnyOrder(
                    "devices/PUMP_001/predictions", "devices/PUMP_001/predictions", "devices/PUMP_001/alerts");
            assertThat(hmi.received).filteredOn(r -> r.topic().endsWith("alerts")).singleElement()
                    .extracting(RawClient.Received::payload).isEqualTo("{\"device_id\":\"PUMP_001\",\"message\":\"overheat\"}");
            assertThat(out.metrics()).isEqualTo(new PublisherMetrics(2, 1, 0, 3));

            // An HMI that connects later gets the latest prediction at once, and no old alert.
            try (RawClient late = new RawClient(broker.url())) {
                late.subscribe("devices/+/#");
                await().atMost(WAIT).until(() -> late.received.size() == 1);
                RawClient.Received r = late.received.get(0);
                assertThat(r.retained()).isTrue();
                assertThat(r.topic()).isEqualTo("devices/PUMP_001/predictions");
                assertThat(r.payload()).isEqualTo("{\"device_id\":\"PUMP_001\",\"timestamp\":\"2026-03-01T00:01:00Z\","
                        + "\"maintenance_probability\":0.9,\"risk_level\":\"HIGH\",\"maintenance_needed\":true,"
                        + "\"remaining_useful_life\":42.0,\"health_score\":null,\"status\":null,\"model_version\":\"lstm-1\"}");
            }
        }
    }

    @Test
    void aPublisherWithNothingToPublish_isRefusedAtBuild() {
        try (StreamHub hub = StreamHub.inMemory().build()) {
            assertThatThrownBy(() -> MqttPublisher.builder(MqttSettings.builder(broker.url()).build(), hub)
                    .withoutPredictions().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nothing to publish");
            assertThatThrownBy(() -> MqttPublisher.builder(MqttSettings.builder(broker.url()).build(), hub).prefix("a/#"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/#'");
        }
    }
}
