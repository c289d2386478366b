package io.iotpm.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Sends a record the subscriber could not decode to the dead-letter topic: the same key and value,
 * with headers naming the reason, the source topic, partition and offset, and the subscriber.
 */
final class DeadLetters {

    /** Header with the reason the record was refused. */
    static final String REASON = "iotpm.error";
    /** Header with the source {@code topic/partition/offset}. */
    static final String SOURCE = "iotpm.source";
    /** Header with the subscriber that refused it. */
    static final String SUBSCRIBER = "iotpm.subscriber";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamHub.class);

    private final Producer<byte[], byte[]> producer;
    private final String suffix;

    DeadLetters(Producer<byte[], byte[]> producer, String suffix) {
        this.producer = producer;
        this.suffix = suffix;
    }

    /** @return the dead-letter topic of a topic */
    String topicOf(String topic) {
        return topic + suffix;
    }

    void send(ConsumerRecord<byte[], byte[]> record, String subscriber, String reason) {
        RecordHeaders h = new RecordHeaders();
        h.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        h.add(SOURCE, (record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        h.add(SUBSCRIBER, subscriber.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topicOf(record.topic()), null, record.key(), record.value(), h),
                (meta, e) -> {
                    if (e != null) {
                        LOG.warn("dead letter of {}/{}/{} not written: {}", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                });
    }
}
