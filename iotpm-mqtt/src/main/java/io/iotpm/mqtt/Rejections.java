package io.iotpm.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts rejected messages per reason, logs the first N in full, and publishes them to the dead-letter topic. */
final class Rejections {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final AtomicLongArray counts = new AtomicLongArray(RejectReason.values().length);
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private final int logLimit;
    private final String deadLetterTopic;

    Rejections(int logLimit, String deadLetterTopic) {
        this.logLimit = logLimit;
        this.deadLetterTopic = deadLetterTopic;
    }

    void reject(MqttAsyncClient client, String topic, byte[] payload, RejectReason reason, String error) {
        counts.incrementAndGet(reason.ordinal());
        long n = logged.incrementAndGet();
        if (n <= logLimit) {
            LOG.warn("rejected MQTT message on '{}' ({}): {}; payload: {}", topic, reason, error,
                    new String(payload, StandardCharsets.UTF_8));
            if (n == logLimit) {
                LOG.warn("logged {} rejected messages in full; further ones are only counted (IngestMetrics.rejected)", n);
            }
        } else {
            LOG.debug("rejected MQTT message on '{}' ({}): {}", topic, reason, error);
        }
        if (deadLetterTopic != null) {
            try {
                client.publish(deadLetterTopic, deadLetter(topic, payload, reason, error), 1, false);
                deadLettered.incrementAndGet();
            } catch (MqttException e) {
                LOG.debug("cannot publish to dead-letter topic '{}': {}", deadLetterTopic, PahoClients.describe(e));
            }
        }
    }

    static byte[] deadLetter(String topic, byte[] payload, RejectReason reason, String error) {
        StringWriter w = new StringWriter(128 + payload.length);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("topic", topic);
            g.writeStringField("reason", reason.name());
            g.writeStringField("error", error);
            g.writeStringField("payload", new String(payload, StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    Map<RejectReason, Long> counts() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            m.put(r, counts.get(r.ordinal()));
        }
        return m;
    }

    long deadLettered() {
        return deadLettered.get();
    }
}
