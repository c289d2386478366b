/**
 * A {@link io.iotpm.core.stream.StreamHub} on Apache Kafka. {@link io.iotpm.kafka.KafkaStreamHub}
 * is the facade: iotpm topics map to Kafka topics keyed by device id, each subscriber is a member
 * of a consumer group, and offsets are committed only after the subscriber's
 * {@link io.iotpm.core.stream.DeliveryHook} said the handled messages are durable.
 * {@link io.iotpm.kafka.MessageCodec} turns messages into record values (readings as the flat JSON
 * of {@code ReadingJson}); the package-private parts each have one job: {@code ConsumerLane} one
 * consumer thread, {@code KafkaSubscriber} a subscriber's lanes and counters, {@code TopicAdmin}
 * creating topics, {@code DeadLetters} the dead-letter records.
 */
package io.iotpm.kafka;
