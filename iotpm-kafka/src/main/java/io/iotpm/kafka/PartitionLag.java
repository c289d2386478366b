package io.iotpm.kafka;

/**
 * How far one subscriber is behind on one partition.
 *
 * @param topic     the Kafka topic
 * @param partition the partition
 * @param position  the offset of the next record it will handle
 * @param endOffset the newest offset it knows of, plus one (from its fetches and this hub's sends)
 * @param lag       {@code endOffset - position}, at least 0: records it has not handled yet
 */
public record PartitionLag(String topic, int partition, long position, long endOffset, long lag) {
}
