package io.iotpm.kafka;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.test.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer can fetch a record before its producer hears the acknowledgement (CI once saw lag 22 for
 * 21 records). Holding the producer's acknowledgements makes that order certain here.
 */
class InFlightLagTest {

    /** Holds the producer's I/O thread at the first acknowledgement until the test lets it go. */
    public static final class HoldAcks implements ProducerInterceptor<byte[], byte[]> {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            try {
                RELEASE.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @Test
    void lagCountsARecordOnce_whenTheConsumerSawItBeforeItsAcknowledgement() throws Exception {
        List<SensorReading> readings = Fleet.builder().devices(1).idPrefix("PUMP_").seed(5)
                .start(Instant.parse("2026-03-01T00:00:00Z")).build().history(Duration.ofMinutes(21)).toList();
        assertThat(readings).hasSize(21);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(1);
        try (KafkaBroker kafka = KafkaBroker.builder().build().start();
             KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers())
                     .topicPrefix("inflight-").groupId("inflight-g").schema(SensorSchema.industrialMotor())
                     .partitions(1).producerConfig(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, HoldAcks.class.getName())
                     .build()) {
            Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("behind").build(), r -> {
                entered.countDown();
                try {
                    handled.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            SubscriberMetrics m;
            try {
                hub.publish(Topic.READINGS, readings.get(0));
                assertThat(entered.await(60, TimeUnit.SECONDS)).as("fetched before acknowledged").isTrue();
                readings.subList(1, 21).forEach(r -> hub.publish(Topic.READINGS, r));
                m = s.metrics();
            } finally {
                // Released whatever happened, or closing would wait on every held acknowledgement.
                HoldAcks.RELEASE.countDown();
                handled.countDown();
            }
            assertThat(m.lag()).isEqualTo(21);
            assertThat(m.queueDepth()).isEqualTo(20);
            assertThat(s.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(s.metrics().delivered()).isEqualTo(21);
            assertThat(s.metrics().lag()).isZero();
        }
    }
}
