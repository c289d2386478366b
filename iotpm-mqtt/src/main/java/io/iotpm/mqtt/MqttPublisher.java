package io.iotpm.mqtt;

import io.iotpm.core.Prediction;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Publishes what the pipeline concludes back to the plant floor: every prediction of the hub's
 * {@link Topic#PREDICTIONS} to {@code devices/{id}/predictions} (retained, so an HMI that connects
 * later sees the latest one at once) and every alert of an alerts topic to {@code devices/{id}/alerts},
 * both QoS 1, as the REST API's JSON.
 *
 * <pre>{@code
 * try (MqttPublisher out = MqttPublisher.builder(settings, hub)
 *         .alerts(Topic.alerts(Alert.class, Alert::deviceId), AlertJson::write).build().start()) { ... }
 * }</pre>
 *
 * <p>This module knows only iotpm-core, so the alert type and its JSON come from the caller
 * ({@code iotpm-alerts}' {@code Alert} with the API's field names in the examples). While the broker
 * is unreachable, up to {@link Builder#buffer(int)} messages wait in the client; beyond that they are
 * counted in {@link PublisherMetrics#failed()}. The hub subscriptions block (never drop) while the
 * client's in-flight window is full.
 */
public final class MqttPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttPublisher.class);

    /** Default client id. */
    public static final String DEFAULT_CLIENT_ID = "iotpm-publisher";
    /** Default topic prefix: {@code devices/{id}/alerts} and {@code devices/{id}/predictions}. */
    public static final String DEFAULT_PREFIX = "devices";
    /** Default number of messages buffered while disconnected. */
    public static final int DEFAULT_BUFFER = 10_000;

    private final MqttSettings settings;
    private final StreamHub hub;
    private final String clientId;
    private final String prefix;
    private final boolean predictions;
    private final AlertSource<?> alerts;
    private final int buffer;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong predictionCount = new AtomicLong();
    private final AtomicLong alertCount = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private MqttAsyncClient client;
    private volatile boolean closed;

    private record AlertSource<A>(Topic<A> topic, Function<? super A, String> json) {
    }

    private MqttPublisher(Builder b) {
        this.settings = b.settings;
        this.hub = b.hub;
        this.clientId = b.clientId;
        this.prefix = b.prefix;
        this.predictions = b.predictions;
        this.alerts = b.alerts;
        this.buffer = b.buffer;
    }

    /**
     * @param settings the broker
     * @param hub      whose predictions (and alerts, see {@link Builder#alerts}) are published
     * @return a builder
     */
    public static Builder builder(MqttSettings settings, StreamHub hub) {
        return new Builder(settings, hub);
    }

    /**
     * Connects and subscribes to the hub.
     *
     * @return this
     * @throws MqttClientException   if the broker cannot be reached or refuses the login
     * @throws IllegalStateException if already started or closed
     */
    public synchronized MqttPublisher start() {
        if (client != null || closed) {
            throw new IllegalStateException("MQTT publisher already " + (closed ? "closed" : "started"));
        }
        client = PahoClients.create(settings, clientId);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("MQTT publisher '{}' lost its connection to {}: {}; reconnecting", clientId, settings.url(),
                        cause == null ? "unknown cause" : cause.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // Subscribes to nothing.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                delivered.incrementAndGet();
            }
        });
        try {
            PahoClients.connect(client, PahoClients.options(settings, false, 1_000), settings);
        } catch (MqttClientException e) {
            close();
            throw e;
        }
        PahoClients.bufferWhileDisconnected(client, buffer);
        if (predictions) {
            subscriptions.add(hub.subscribe(Topic.PREDICTIONS, options("predictions"), this::publishPrediction));
        }
        if (alerts != null) {
            subscriptions.add(subscribeAlerts(alerts, options("alerts")));
        }
        return this;
    }

    private SubscriberOptions options(String what) {
        return SubscriberOptions.builder().name("mqtt-" + what + "-" + clientId).overflow(Overflow.BLOCK).build();
    }

    private <A> Subscription subscribeAlerts(AlertSource<A> source, SubscriberOptions opts) {
        return hub.subscribe(source.topic(), opts, a -> {
            if (send(prefix + "/" + source.topic().key(a) + "/alerts", source.json().apply(a), false)) {
                alertCount.incrementAndGet();
            }
        });
    }

    private void publishPrediction(Prediction p) {
        if (send(prefix + "/" + p.deviceId() + "/predictions", PredictionJson.write(p), true)) {
            predictionCount.incrementAndGet();
        }
    }

    private boolean send(String topic, String json, boolean retained) {
        try {
            if (PahoClients.publish(client, topic, json.getBytes(StandardCharsets.UTF_8), 1, retained, () -> closed)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failed.incrementAndGet();
        LOG.debug("MQTT publisher '{}' could not publish to '{}'", clientId, topic);
        return false;
    }

    /** @return a snapshot of the counters */
    public PublisherMetrics metrics() {
        return new PublisherMetrics(predictionCount.get(), alertCount.get(), failed.get(), delivered.get());
    }

    /** Unsubscribes from the hub, disconnects (waiting a second for outstanding messages), stops the client's threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.forEach(Subscription::close);
        if (client != null) {
            PahoClients.close(client);
        }
    }

    @Override
    public String toString() {
        return "MqttPublisher[" + clientId + " -> '" + prefix + "/{id}/...' at " + settings + "]";
    }

    /** Builds an {@link MqttPublisher}. */
    public static final class Builder {
        private final MqttSettings settings;
        private final StreamHub hub;
        private String clientId = DEFAULT_CLIENT_ID;
        private String prefix = DEFAULT_PREFIX;
        private boolean predictions = true;
        private AlertSource<?> alerts;
        private int buffer = DEFAULT_BUFFER;

        private Builder(MqttSettings settings, StreamHub hub) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        /**
         * @param topic the hub's alerts topic (e.g. {@code Topic.alerts(Alert.class, Alert::deviceId)})
         * @param json  writes one alert as JSON
         * @param <A>   the alert type
         * @return this builder; default: alerts are not published
         */
        public <A> Builder alerts(Topic<A> topic, Function<? super A, String> json) {
            this.alerts = new AlertSource<>(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(json, "json"));
            return this;
        }

        /**
         * Stops predictions from being published (only alerts then).
         *
         * @return this builder
         */
        public Builder withoutPredictions() {
            this.predictions = false;
            return this;
        }

        /**
         * @param clientId client id, {@code [A-Za-z0-9_.:-]{1,64}}; default {@value #DEFAULT_CLIENT_ID}
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = PahoClients.requireClientId(clientId);
            return this;
        }

        /**
         * @param prefix first topic levels before the device id, no wildcards; default {@value #DEFAULT_PREFIX}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = PahoClients.requirePrefix(prefix);
            return this;
        }

        /**
         * @param buffer messages kept while the broker is unreachable, {@code >= 1}; default {@value #DEFAULT_BUFFER}
         * @return this builder
         */
        public Builder buffer(int buffer) {
            if (buffer < 1) {
                throw new IllegalArgumentException("buffer must be >= 1, but was " + buffer);
            }
            this.buffer = buffer;
            return this;
        }

        /**
         * @return the publisher, not started
         * @throws IllegalStateException if predictions are off and no alerts topic is set
         */
        public MqttPublisher build() {
            if (!predictions && alerts == null) {
                throw new IllegalStateException("nothing to publish: set alerts(...) or keep predictions");
            }
            return new MqttPublisher(this);
        }
    }
}
