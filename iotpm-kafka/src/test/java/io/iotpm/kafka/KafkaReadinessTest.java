package io.iotpm.kafka;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.test.KafkaBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KafkaStreamHub#readiness(Duration)} against a real KRaft broker: up while it runs, down after it
 * stops; and the host's thread factory making the subscribers' threads.
 */
class KafkaReadinessTest {

    @Test
    void readiness_isUpWhileTheBrokerRuns_andDownAfterItStopsOrTheHubCloses() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.builder().build().start();
             KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                     .topicPrefix("ready-").groupId("ready-g").schema(SensorSchema.industrialMotor()).build()) {
            Callable<String> probe = hub.readiness(Duration.ofSeconds(2));
            // The hub's admin client connects on the first call; on a loaded machine that can take longer
            // than the probe's 2 s, so "up" may take a few tries. "Down" is checked with the 2 s below.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(probe.call()).isEqualTo("1 broker(s) at " + kafka.bootstrapServers()));

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

    @Test
    void subscriberThreads_comeFromTheHostsThreadFactory_andEndWithTheHub() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory host = r -> {
            Thread t = new Thread(r, "host-kafka-" + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        List<SensorReading> got = new CopyOnWriteArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.builder().build().start()) {
            try (KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                    .topicPrefix("threads-").groupId("threads-g").partitions(2).threadFactory(host).build()) {
                hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("host").lanes(2).build(), got::add);
                SensorReading r = SensorSimulator.builder().deviceId("PUMP_1").seed(1).build().next();
                hub.publish(Topic.READINGS, r);
                await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == 1);
                assertThat(made).hasSize(2).allMatch(Thread::isAlive);
            }
            assertThat(made).noneMatch(Thread::isAlive);
        }
        assertThatThrownBy(() -> KafkaStreamHub.builder().threadFactory(null)).isInstanceOf(NullPointerException.class);
    }
}
