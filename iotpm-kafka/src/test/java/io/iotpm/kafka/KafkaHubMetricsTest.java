package io.iotpm.kafka;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.test.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link KafkaHubMetrics} over a hub on a real KRaft broker: lag per subscriber and partition as gauges. */
class KafkaHubMetricsTest {

    @Test
    void partitionLag_isAGaugePerSubscriberAndPartition_thatFallsToZeroOnceHandled() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<SensorReading> readings = Fleet.builder().devices(6).idPrefix("PUMP_").seed(3)
                .start(Instant.parse("2026-03-01T00:00:00Z")).build().history(Duration.ofMinutes(50)).toList();
        CountDownLatch release = new CountDownLatch(1);
        try (KafkaBroker kafka = KafkaBroker.builder().build().start();
             KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                     .topicPrefix("lag-").groupId("lag-g").schema(SensorSchema.industrialMotor()).partitions(3)
                     .commitInterval(Duration.ofMillis(200)).build()) {
            KafkaHubMetrics metrics = new KafkaHubMetrics(hub, Tags.of("cluster", "test"));
            metrics.bindTo(registry);
            assertThat(registry.find("iotpm.kafka.partition.lag").gauges()).isEmpty();
            hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("slow").capacity(16).build(), r -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            readings.forEach(r -> hub.publish(Topic.READINGS, r));

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                metrics.refresh();
                return registry.find("iotpm.kafka.partition.lag").tag("subscriber", "slow").gauges().size() == 3
                        && lag(registry) > 0;
            });
            assertThat(registry.find("iotpm.kafka.partition.lag").gauges())
                    .extracting(g -> g.getId().getTag("partition")).containsExactlyInAnyOrder("0", "1", "2");
            assertThat(registry.get("iotpm.kafka.partition.lag").tags("partition", "0").gauge().getId().getTag("topic"))
                    .isEqualTo(hub.kafkaTopic(Topic.READINGS));
            assertThat(registry.get("iotpm.kafka.partition.lag").tags("cluster", "test").gauges()).hasSize(3);

            release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> lag(registry) == 0);
            assertThat(registry.get("iotpm.kafka.dead.letters").tags("subscriber", "slow").functionCounter().count())
                    .isZero();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    registry.get("iotpm.kafka.commits").tags("subscriber", "slow").functionCounter().count() > 0);
            assertThat(registry.get("iotpm.kafka.send.errors").functionCounter().count()).isZero();

            hub.close(Duration.ofSeconds(5));
            metrics.refresh();
            assertThat(registry.find("iotpm.kafka.partition.lag").gauges()).as("a closed hub has no partitions").isEmpty();
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
        }
    }

    private static double lag(SimpleMeterRegistry registry) {
        return registry.find("iotpm.kafka.partition.lag").gauges().stream().mapToDouble(Gauge::value).sum();
    }
}
