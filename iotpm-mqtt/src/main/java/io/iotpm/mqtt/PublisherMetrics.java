package io.iotpm.mqtt;

/**
 * A snapshot of {@link MqttPublisher}'s counters.
 *
 * @param predictions predictions handed to the client (retained, QoS 1)
 * @param alerts      alerts handed to the client (QoS 1)
 * @param failed      messages the client refused (disconnected with a full buffer, or closing)
 * @param delivered   messages the broker acknowledged
 */
public record PublisherMetrics(long predictions, long alerts, long failed, long delivered) {
}
