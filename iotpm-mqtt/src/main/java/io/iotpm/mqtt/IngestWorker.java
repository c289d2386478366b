package io.iotpm.mqtt;

import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.json.InvalidJsonException;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.StreamOverflowException;
import io.iotpm.core.stream.Topic;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded in-flight window between the MQTT client and the hub. Paho's callback thread only
 * queues a message (so it keeps reading pings while the hub pushes back); one worker thread parses,
 * publishes to the hub, retrying while it refuses, and only then acknowledges the message to the
 * broker. One worker keeps per-device order and acknowledges in arrival order, as MQTT 3.1.1 asks.
 */
final class IngestWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    private static final long MAX_BACKOFF_MS = 100;

    /** One received, not yet acknowledged message. */
    record Inbound(String topic, byte[] payload, int id, int qos) {
    }

    private final BlockingQueue<Inbound> window;
    private final StreamHub hub;
    private final ReadingJson json;
    private final int deviceLevel;
    private final Rejections rejections;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile MqttAsyncClient client;
    private volatile boolean closing;

    IngestWorker(int window, StreamHub hub, ReadingJson json, int deviceLevel, Rejections rejections) {
        this.window = new ArrayBlockingQueue<>(window);
        this.hub = hub;
        this.json = json;
        this.deviceLevel = deviceLevel;
        this.rejections = rejections;
    }

    void client(MqttAsyncClient client) {
        this.client = client;
    }

    /** Called on Paho's callback thread; blocks only when the window is full, until it has room or we close. */
    void offer(String topic, byte[] payload, int id, int qos) throws InterruptedException {
        inFlight.incrementAndGet();
        received.incrementAndGet();
        Inbound m = new Inbound(topic, payload, id, qos);
        while (!window.offer(m, 100, TimeUnit.MILLISECONDS)) {
            if (closing) {
                // Not acknowledged: the broker redelivers it to the next session.
                inFlight.decrementAndGet();
                return;
            }
        }
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                Inbound m = window.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && !handle(m)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            if (!hub.isClosed()) {
                throw e;
            }
            LOG.warn("the hub is closed; MQTT ingest stops taking messages (unacknowledged ones stay with the broker)");
        }
    }

    /** @return false when closing interrupted a hub that pushes back (the message stays unacknowledged) */
    private boolean handle(Inbound m) throws InterruptedException {
        String payload = new String(m.payload(), StandardCharsets.UTF_8);
        String device = deviceOf(m.topic());
        if (device == null) {
            reject(m, RejectReason.INVALID_TOPIC, "topic level " + (deviceLevel + 1) + " of '" + m.topic()
                    + "' is not a valid device id");
            return true;
        }
        List<SensorReading> readings;
        try {
            readings = json.readAll(payload);
        } catch (InvalidJsonException e) {
            reject(m, classify(e), e.getMessage());
            return true;
        } catch (IllegalArgumentException e) {
            reject(m, RejectReason.INVALID_VALUE, e.getMessage());
            return true;
        }
        for (SensorReading r : readings) {
            if (!r.deviceId().equals(device)) {
                reject(m, RejectReason.DEVICE_MISMATCH, "device_id '" + r.deviceId() + "' in the payload is not '"
                        + device + "' of the topic");
                return true;
            }
        }
        for (SensorReading r : readings) {
            if (!publish(r)) {
                return false;
            }
        }
        published.addAndGet(readings.size());
        ack(m);
        return true;
    }

    /** Retries while a FAIL subscriber is full: the message stays unacknowledged, so the broker keeps the rest. */
    private boolean publish(SensorReading r) throws InterruptedException {
        long backoff = 1;
        while (true) {
            try {
                hub.publish(Topic.READINGS, r);
                return true;
            } catch (StreamOverflowException e) {
                if (closing) {
                    return false;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void reject(Inbound m, RejectReason reason, String error) {
        rejections.reject(client, m.topic(), m.payload(), reason, error);
        ack(m);
    }

    private void ack(Inbound m) {
        try {
            client.messageArrivedComplete(m.id(), m.qos());
            acknowledged.incrementAndGet();
        } catch (MqttException e) {
            // Disconnected: the broker redelivers the message to the next session (at least once).
            LOG.debug("cannot acknowledge message {} on '{}': {}", m.id(), m.topic(), PahoClients.describe(e));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The topic level at {@code deviceLevel}, if it is a valid device id; scans instead of splitting (hot path). */
    String deviceOf(String topic) {
        int start = 0;
        for (int level = 0; level < deviceLevel; level++) {
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                return null;
            }
            start = slash + 1;
        }
        int end = topic.indexOf('/', start);
        String id = end < 0 ? topic.substring(start) : topic.substring(start, end);
        return DeviceIds.isValid(id) ? id : null;
    }

    static RejectReason classify(InvalidJsonException e) {
        String m = e.getMessage();
        if (m.contains("unknown channel")) {
            return RejectReason.UNKNOWN_CHANNEL;
        }
        if (m.contains("malformed") || m.contains("expected a JSON") || m.contains("must be a reading object")
                || m.contains("unexpected content")) {
            return RejectReason.MALFORMED_JSON;
        }
        return RejectReason.INVALID_VALUE;
    }

    /** Stops taking messages; what is still queued stays unacknowledged, so the broker redelivers it. */
    void stop() {
        closing = true;
        inFlight.addAndGet(-window.size());
        window.clear();
    }

    int inFlight() {
        return inFlight.get();
    }

    long received() {
        return received.get();
    }

    long published() {
        return published.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }
}
