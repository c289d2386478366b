package io.iotpm.mqtt;

import io.iotpm.core.SensorReading;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.stream.ReadingSink;
import io.iotpm.core.stream.StreamOverflowException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated devices publishing over MQTT, a load generator in the manner of ThingsBoard's
 * performance tool: a {@link ReadingSink} for {@link io.iotpm.core.stream.FleetStreamer} that sends
 * each reading as the flat reading JSON to {@code devices/{id}/telemetry} with QoS 1, or, with
 * {@link Builder#readingsPerMessage(int)}, every {@code n} readings of a device as one JSON array
 * (as a gateway batching its devices' samples does).
 *
 * <pre>{@code
 * try (MqttDeviceFleet devices = MqttDeviceFleet.builder(settings).connections(4).build().connect();
 *      FleetStreamer streamer = FleetStreamer.builder(devices).fleet(fleet).period(Duration.ofMillis(100)).build()) {
 *     streamer.start();   // fleet.size() readings every 100 ms
 * }
 * }</pre>
 *
 * <p>Devices share a few connections (a device always uses the same one, so its readings stay in
 * order); each connection has up to {@link Builder#maxInflight(int)} unacknowledged messages, and
 * {@link #accept(SensorReading)} waits while they are outstanding, so the broker paces the fleet.
 * {@link #acknowledged()} counts what the broker confirmed: the readings a lossless consumer must see.
 * A batching fleet holds each device's last readings until its message is full; {@link #flush()}
 * (and {@link #close()}) sends them.
 */
public final class MqttDeviceFleet implements ReadingSink, AutoCloseable {

    /** Default client id prefix; connection {@code i} is {@code iotpm-fleet-i}. */
    public static final String DEFAULT_CLIENT_ID_PREFIX = "iotpm-fleet";
    /** Default number of connections. */
    public static final int DEFAULT_CONNECTIONS = 4;
    /** Default unacknowledged messages per connection. */
    public static final int DEFAULT_MAX_INFLIGHT = 1_000;
    /** Default topic prefix. */
    public static final String DEFAULT_PREFIX = "devices";

    private final MqttSettings settings;
    private final String clientIdPrefix;
    private final String prefix;
    private final int connections;
    private final int maxInflight;
    private final int perMessage;
    // Per device, the readings of its next message; only with perMessage > 1.
    private final Map<String, List<SensorReading>> batches = new ConcurrentHashMap<>();
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile ReadingJson json;
    private volatile boolean closed;

    private MqttDeviceFleet(Builder b) {
        this.settings = b.settings;
        this.clientIdPrefix = b.clientIdPrefix;
        this.prefix = b.prefix;
        this.connections = b.connections;
        this.maxInflight = b.maxInflight;
        this.perMessage = b.perMessage;
    }

    /**
     * @param settings the broker
     * @return a builder
     */
    public static Builder builder(MqttSettings settings) {
        return new Builder(settings);
    }

    /**
     * Opens the connections.
     *
     * @return this
     * @throws MqttClientException   if the broker cannot be reached or refuses the login
     * @throws IllegalStateException if already connected or closed
     */
    public synchronized MqttDeviceFleet connect() {
        if (!clients.isEmpty() || closed) {
            throw new IllegalStateException("device fleet already " + (closed ? "closed" : "connected"));
        }
        try {
            for (int i = 0; i < connections; i++) {
                MqttAsyncClient c = PahoClients.create(settings, clientIdPrefix + "-" + i);
                c.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                        // Automatic reconnect; unacknowledged QoS-1 messages are re-sent by the client.
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        // Publishes only.
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                        acknowledged.addAndGet(token.getUserContext() instanceof Integer n ? n : 1);
                    }
                });
                clients.add(c);
                PahoClients.connect(c, PahoClients.options(settings, false, maxInflight), settings);
            }
        } catch (MqttClientException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Publishes one reading as its device (or adds it to the device's next message when batching),
     * waiting while that connection's in-flight window is full.
     *
     * @throws StreamOverflowException if the client refused it (e.g. disconnected); counted in {@link #refused()}
     * @throws IllegalStateException   if not connected or closed
     */
    @Override
    public void accept(SensorReading reading) {
        if (closed || clients.isEmpty()) {
            throw new IllegalStateException("device fleet is " + (closed ? "closed" : "not connected"));
        }
        if (perMessage == 1) {
            send(reading.deviceId(), List.of(reading));
            return;
        }
        List<SensorReading> full = null;
        List<SensorReading> batch = batches.computeIfAbsent(reading.deviceId(), d -> new ArrayList<>(perMessage));
        synchronized (batch) {
            batch.add(reading);
            if (batch.size() >= perMessage) {
                full = List.copyOf(batch);
                batch.clear();
            }
        }
        if (full != null) {
            send(reading.deviceId(), full);
        }
    }

    /**
     * Sends every device's held readings now (a batching fleet's partial messages).
     *
     * @throws StreamOverflowException if the client refused one
     */
    public void flush() {
        for (Map.Entry<String, List<SensorReading>> e : batches.entrySet()) {
            List<SensorReading> held;
            synchronized (e.getValue()) {
                held = List.copyOf(e.getValue());
                e.getValue().clear();
            }
            if (!held.isEmpty()) {
                send(e.getKey(), held);
            }
        }
    }

    private void send(String device, List<SensorReading> readings) {
        SensorReading first = readings.get(0);
        ReadingJson codec = json;
        if (codec == null || codec.schema() != first.schema()) {
            codec = ReadingJson.of(first.schema());
            json = codec;
        }
        MqttAsyncClient c = clients.get(Math.floorMod(device.hashCode(), clients.size()));
        String text = readings.size() == 1 ? codec.write(first) : codec.writeAll(readings);
        boolean ok;
        try {
            ok = PahoClients.publish(c, prefix + "/" + device + "/telemetry", text.getBytes(StandardCharsets.UTF_8), 1,
                    false, readings.size(), () -> closed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            refused.addAndGet(readings.size());
            throw new StreamOverflowException("mqtt", device, "the MQTT client refused " + readings.size()
                    + (readings.size() == 1 ? " reading" : " readings"));
        }
        sent.addAndGet(readings.size());
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** @return readings handed to the clients (a batching fleet's held readings are not yet) */
    public long sent() {
        return sent.get();
    }

    /** @return readings the broker acknowledged (QoS 1 PUBACK) */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** @return readings the clients refused */
    public long refused() {
        return refused.get();
    }

    /**
     * Sends the held readings of a batching fleet, then disconnects every connection (waiting a
     * second for outstanding acknowledgements) and stops their threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (!clients.isEmpty()) {
            try {
                flush();
            } catch (StreamOverflowException e) {
                // Counted in refused(); closing goes on.
            }
        }
        closed = true;
        clients.forEach(PahoClients::close);
    }

    @Override
    public String toString() {
        return "MqttDeviceFleet[" + connections + " connections at " + settings + "]";
    }

    /** Builds an {@link MqttDeviceFleet}. */
    public static final class Builder {
        private final MqttSettings settings;
        private String clientIdPrefix = DEFAULT_CLIENT_ID_PREFIX;
        private String prefix = DEFAULT_PREFIX;
        private int connections = DEFAULT_CONNECTIONS;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;
        private int perMessage = 1;

        private Builder(MqttSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param connections MQTT connections the devices share, 1 to 1,000; default {@value #DEFAULT_CONNECTIONS}
         * @return this builder
         */
        public Builder connections(int connections) {
            if (connections < 1 || connections > 1_000) {
                throw new IllegalArgumentException("connections must be 1 to 1000, but was " + connections);
            }
            this.connections = connections;
            return this;
        }

        /**
         * @param maxInflight unacknowledged messages per connection, 1 to 65,535; default {@value #DEFAULT_MAX_INFLIGHT}
         * @return this builder
         */
        public Builder maxInflight(int maxInflight) {
            if (maxInflight < 1 || maxInflight > 65_535) {
                throw new IllegalArgumentException("maxInflight must be 1 to 65535, but was " + maxInflight);
            }
            this.maxInflight = maxInflight;
            return this;
        }

        /**
         * @param clientIdPrefix client ids are {@code prefix-0 ... prefix-(n-1)}; default {@value #DEFAULT_CLIENT_ID_PREFIX}
         * @return this builder
         */
        public Builder clientIdPrefix(String clientIdPrefix) {
            this.clientIdPrefix = PahoClients.requireClientId(clientIdPrefix);
            return this;
        }

        /**
         * @param prefix topic levels before the device id, no wildcards; default {@value #DEFAULT_PREFIX}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = PahoClients.requirePrefix(prefix);
            return this;
        }

        /**
         * @param n readings of one device per message, sent as a JSON array once {@code n} are held,
         *          1 to 1,000; default 1 (each reading its own message, a JSON object)
         * @return this builder
         */
        public Builder readingsPerMessage(int n) {
            if (n < 1 || n > 1_000) {
                throw new IllegalArgumentException("readingsPerMessage must be 1 to 1000, but was " + n);
            }
            this.perMessage = n;
            return this;
        }

        /** @return the fleet, not connected */
        public MqttDeviceFleet build() {
            return new MqttDeviceFleet(this);
        }
    }
}
