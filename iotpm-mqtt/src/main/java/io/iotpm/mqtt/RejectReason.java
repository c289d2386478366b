package io.iotpm.mqtt;

/** Why {@link MqttIngest} rejected a message; each reason has its own counter in {@link IngestMetrics}. */
public enum RejectReason {
    /** Not JSON, or JSON of the wrong shape (not a reading object or an array of them). */
    MALFORMED_JSON,
    /** A field that is no channel of the schema. */
    UNKNOWN_CHANNEL,
    /** A value its channel does not allow: null/NaN where missing values are not allowed, out of physical range, a bad timestamp. */
    INVALID_VALUE,
    /** The payload's {@code device_id} is not the device of the topic. */
    DEVICE_MISMATCH,
    /** The topic's device level is not a valid device id. */
    INVALID_TOPIC
}
