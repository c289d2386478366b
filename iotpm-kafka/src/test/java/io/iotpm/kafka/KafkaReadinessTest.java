package io.iotpm.kafka;

import io.iotpm.core.SensorSchema;
import io.iotpm.kafka.test.KafkaBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KafkaStreamHub#readiness(Duration)} against a real KRaft broker: up while it runs, down after it stops. */
class KafkaReadinessTest {

    @Test
    void readiness_isUpWhileTheBrokerRuns_andDownAfterItStopsOrTheHubCloses() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.builder().build().start();
             KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                     .topicPrefix("ready-").groupId("ready-g").schema(SensorSchema.industrialMotor()).build()) {
            Callable<String> probe = hub.readiness(Duration.ofSeconds(2));
            assertThat(probe.call()).isEqualTo("1 broker(s) at " + kafka.bootstrapServers());

            kafka.stop();
            assertThatThrownBy(probe::call).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka at " + kafka.bootstrapServers() + " did not answer within 2000 ms");

            hub.close(Duration.ofSeconds(1));
            assertThatThrownBy(probe::call).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the Kafka hub is closed");
        }
        assertThatThrownBy(() -> KafkaStreamHub.builder().bootstrapServers("localhost:1").build()
                .readiness(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be > 0, but was PT0S");
    }
}
