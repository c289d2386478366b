package io.iotpm.mqtt;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link MqttIngest#readiness()} against a real mosquitto: up while connected, down when the broker stops. */
class MqttReadinessTest {

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
