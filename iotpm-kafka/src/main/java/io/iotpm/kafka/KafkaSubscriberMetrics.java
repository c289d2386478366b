package io.iotpm.kafka;

import io.iotpm.core.stream.SubscriberMetrics;

import java.util.List;

/**
 * A Kafka subscriber's counters: the hub-wide {@link SubscriberMetrics} plus what only Kafka has.
 * After the subscriber is idle, {@code delivered + failed + dropped + deadLettered} equals the
 * records it was given.
 *
 * @param metrics      the counters every hub keeps ({@code lag} is the sum of the partitions' lags)
 * @param kafkaTopic   the Kafka topic it reads
 * @param groupId      its consumer group
 * @param deadLettered records it could not decode (malformed JSON, unknown channel, unsafe device
 *                     id), sent to the dead-letter topic with the reason, never to the handler
 * @param commits      offset commits it made (each after its delivery hook said the handled
 *                     records are durable)
 * @param partitions   lag per partition it holds now, by partition number
 */
public record KafkaSubscriberMetrics(SubscriberMetrics metrics, String kafkaTopic, String groupId, long deadLettered,
                                     long commits, List<PartitionLag> partitions) {

    /** @param partitions copied */
    public KafkaSubscriberMetrics {
        partitions = List.copyOf(partitions);
    }
}
