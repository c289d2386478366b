package io.iotpm.kafka;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the messages of one topic into Kafka record values and back. Values are text so that a
 * producer in any language can feed the hub: readings are the flat JSON object of
 * {@link ReadingJson} (the original system's {@code device_id}, {@code timestamp} and one field per
 * channel), predictions the JSON the REST API returns.
 *
 * @param <T> the message type
 */
public interface MessageCodec<T> {

    /**
     * @param message a message
     * @return its record value
     */
    byte[] encode(T message);

    /**
     * @param value a record value
     * @return the message
     * @throws IllegalArgumentException when the value is not a valid message (malformed JSON, an
     *                                  unknown channel, an unsafe device id): the record goes to the
     *                                  dead-letter topic with this exception's message as the reason
     */
    T decode(byte[] value);

    /**
     * @param schema the channels readings have
     * @return the flat-JSON codec of readings ({@link ReadingJson})
     */
    static MessageCodec<SensorReading> readings(SensorSchema schema) {
        ReadingJson json = ReadingJson.of(schema);
        return new MessageCodec<>() {
            @Override
            public byte[] encode(SensorReading message) {
                return json.write(message).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public SensorReading decode(byte[] value) {
                return json.read(new String(value, StandardCharsets.UTF_8));
            }
        };
    }

    /** @return the JSON codec of predictions, with the REST API's field names */
    static MessageCodec<Prediction> predictions() {
        return new PredictionCodec();
    }

    /** @return UTF-8 text */
    static MessageCodec<String> text() {
        return new MessageCodec<>() {
            @Override
            public byte[] encode(String message) {
                return Objects.requireNonNull(message, "message").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] value) {
                return new String(value, StandardCharsets.UTF_8);
            }
        };
    }
}
