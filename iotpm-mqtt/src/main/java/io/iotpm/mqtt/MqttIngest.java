package io.iotpm.mqtt;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.stream.StreamHub;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes device readings from an MQTT broker into a {@link StreamHub}: subscribes to a topic filter
 * (default {@value #DEFAULT_TOPIC_FILTER}) with QoS 1 in a persistent session (fixed client id,
 * cleanSession=false), parses each payload as the flat reading JSON of {@link ReadingJson} (one
 * object or an array), and publishes the readings to {@link io.iotpm.core.stream.Topic#READINGS}.
 *
 * <pre>{@code
 * try (MqttIngest ingest = MqttIngest.builder(MqttSettings.builder("tcp://broker:1883").build(), hub,
 *         SensorSchema.industrialMotor()).deadLetterTopic("iotpm/dead-letter").build().start()) {
 *     ...
 *     IngestMetrics m = ingest.metrics();
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>At least once.</b> A message is acknowledged to the broker only after the hub accepted all
 *       its readings (manual acks). While the hub pushes back (a full {@code BLOCK} subscriber blocks,
 *       a full {@code FAIL} one is retried), the message stays unacknowledged, the broker stops sending
 *       once its in-flight limit is reached and keeps the rest. A client or broker restart redelivers
 *       what was not acknowledged, so a message can reach the hub twice, never zero times.</li>
 *   <li><b>Device identity.</b> The device id is the topic level where the filter has {@code +}; a
 *       payload naming another device is rejected.</li>
 *   <li><b>Bad payloads never stop ingest.</b> Malformed JSON, an unknown channel, a value its channel
 *       forbids, a wrong device id: counted per {@link RejectReason}, the first
 *       {@link Builder#loggedRejects(int)} logged in full, optionally published to a dead-letter topic
 *       with the reason, and acknowledged (they would fail again).</li>
 *   <li>The password is never logged.</li>
 * </ul>
 * Mosquitto drops QoS-1 messages for a slow or absent subscriber beyond {@code max_queued_messages}
 * (default 1,000): a lossless set-up sets it to 0 (no limit) or to what a hub outage may accumulate.
 */
public final class MqttIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);

    /** Default topic filter; {@code +} is the device id. */
    public static final String DEFAULT_TOPIC_FILTER = "devices/+/telemetry";
    /** Default client id, fixed so the broker keeps the session across restarts. */
    public static final String DEFAULT_CLIENT_ID = "iotpm-ingest";
    /** Default number of messages received but not yet acknowledged that the client buffers. */
    public static final int DEFAULT_WINDOW = 1_000;
    /** Default number of rejected messages logged in full. */
    public static final int DEFAULT_LOGGED_REJECTS = 10;

    private final MqttSettings settings;
    private final String topicFilter;
    private final String clientId;
    private final ThreadFactory threadFactory;
    private final IngestWorker worker;
    private final Rejections rejections;
    private final AtomicLong reconnects = new AtomicLong();
    private MqttAsyncClient client;
    private Thread workerThread;
    private boolean closed;

    private MqttIngest(Builder b) {
        this.settings = b.settings;
        this.topicFilter = b.topicFilter;
        this.clientId = b.clientId;
        this.threadFactory = b.threadFactory;
        this.rejections = new Rejections(b.loggedRejects, b.deadLetterTopic);
        this.worker = new IngestWorker(b.window, b.hub, ReadingJson.of(b.schema), deviceLevel(b.topicFilter),
                rejections);
    }

    /**
     * @param settings the broker
     * @param hub      where readings go
     * @param schema   the channels payloads are read with
     * @return a builder with the defaults documented on its setters
     */
    public static Builder builder(MqttSettings settings, StreamHub hub, SensorSchema schema) {
        return new Builder(settings, hub, schema);
    }

    private static int deviceLevel(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("+")) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: the builder checked the filter");
    }

    /**
     * Starts the worker thread, connects and subscribes; returns once the subscription is granted.
     *
     * @return this
     * @throws MqttClientException   if the broker cannot be reached or refuses the login or subscription
     * @throws IllegalStateException if already started or closed
     */
    public synchronized MqttIngest start() {
        if (client != null || closed) {
            throw new IllegalStateException("MQTT ingest already " + (closed ? "closed" : "started"));
        }
        workerThread = threadFactory != null ? threadFactory.newThread(worker) : new Thread(worker);
        if (threadFactory == null) {
            workerThread.setName("iotpm-mqtt-ingest");
            workerThread.setDaemon(true);
        }
        workerThread.start();
        client = PahoClients.create(settings, clientId);
        worker.client(client);
        client.setManualAcks(true);
        client.setCallback(new Callback());
        try {
            PahoClients.connect(client, PahoClients.options(settings, true, 10), settings);
            subscribe().waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeout().getSeconds() + 5));
        } catch (MqttException | RuntimeException e) {
            close();
            if (e instanceof MqttClientException m) {
                throw m;
            }
            throw new MqttClientException("cannot subscribe to '" + topicFilter + "' at " + settings.url() + ": "
                    + (e instanceof MqttException m ? PahoClients.describe(m) : e.getMessage()), e);
        }
        LOG.debug("MQTT ingest '{}' subscribed to '{}' at {}", clientId, topicFilter, settings.url());
        return this;
    }

    private IMqttToken subscribe() throws MqttException {
        return client.subscribe(topicFilter, 1);
    }

    /** @return a snapshot of the counters */
    public IngestMetrics metrics() {
        return new IngestMetrics(worker.received(), worker.published(), worker.acknowledged(), rejections.counts(),
                rejections.deadLettered(), worker.inFlight(), reconnects.get());
    }

    /** @return whether the client is connected now */
    public synchronized boolean isConnected() {
        return client != null && client.isConnected();
    }

    /**
     * A readiness probe for a health endpoint: a short detail while the client is connected to the broker; throws
     * (the probe is down) while it is not (before {@link #start()}, while reconnecting, after {@link #close()}).
     * The shape is core Java so a host can adapt it to its own health-check type without this module knowing it
     * (e.g. iotpm-api's {@code HealthCheck.of(probe)}).
     *
     * @return the probe; reads the connection state only, so it answers at once
     */
    public Callable<String> readiness() {
        return () -> {
            if (!isConnected()) {
                throw new IllegalStateException("not connected to the MQTT broker at " + settings.url()
                        + " (" + metrics().reconnects() + " reconnects so far)");
            }
            return "connected to " + settings.url() + ", subscribed to " + topicFilter;
        };
    }

    /** @return the topic filter */
    public String topicFilter() {
        return topicFilter;
    }

    /**
     * Stops taking messages, disconnects and stops every thread. Messages not yet acknowledged stay
     * with the broker for the next session. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.stop();
        if (workerThread != null) {
            workerThread.interrupt();
            try {
                workerThread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (client != null) {
            PahoClients.close(client);
        }
    }

    @Override
    public String toString() {
        return "MqttIngest[" + clientId + " <- '" + topicFilter + "' at " + settings + "]";
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (!reconnect) {
                return;
            }
            reconnects.incrementAndGet();
            LOG.info("MQTT ingest '{}' reconnected to {}", clientId, serverUri);
            try {
                // The session normally kept the subscription; a broker without persistence did not.
                subscribe();
            } catch (MqttException e) {
                LOG.warn("cannot re-subscribe to '{}': {}", topicFilter, PahoClients.describe(e));
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.warn("MQTT ingest '{}' lost its connection to {}: {}; reconnecting", clientId, settings.url(),
                    cause == null ? "unknown cause" : cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            worker.offer(topic, message.getPayload(), message.getId(), message.getQos());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Only dead letters are published; nothing waits for them.
        }
    }

    /** Builds an {@link MqttIngest}. */
    public static final class Builder {
        private final MqttSettings settings;
        private final StreamHub hub;
        private final SensorSchema schema;
        private String topicFilter = DEFAULT_TOPIC_FILTER;
        private String clientId = DEFAULT_CLIENT_ID;
        private int window = DEFAULT_WINDOW;
        private int loggedRejects = DEFAULT_LOGGED_REJECTS;
        private String deadLetterTopic;
        private ThreadFactory threadFactory;

        private Builder(MqttSettings settings, StreamHub hub, SensorSchema schema) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.hub = Objects.requireNonNull(hub, "hub");
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /**
         * @param topicFilter MQTT topic filter with exactly one single-level wildcard {@code +} (the device
         *                    id) and no {@code #}; default {@value #DEFAULT_TOPIC_FILTER}
         * @return this builder
         */
        public Builder topicFilter(String topicFilter) {
            Objects.requireNonNull(topicFilter, "topicFilter");
            long plus = topicFilter.chars().filter(c -> c == '+').count();
            boolean wholeLevel = ("/" + topicFilter + "/").contains("/+/");
            if (plus != 1 || !wholeLevel || topicFilter.contains("#")) {
                throw new IllegalArgumentException("topicFilter must have exactly one '+' level (the device id) and no"
                        + " '#', but was '" + topicFilter + "'");
            }
            this.topicFilter = topicFilter;
            return this;
        }

        /**
         * @param clientId the fixed client id of the persistent session, {@code [A-Za-z0-9_.:-]{1,64}}; one
         *                 per ingest instance (two clients with one id disconnect each other); default
         *                 {@value #DEFAULT_CLIENT_ID}
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = PahoClients.requireClientId(clientId);
            return this;
        }

        /**
         * @param window messages received but not yet acknowledged that the client buffers, {@code >= 1};
         *               while it is full the client reads no more and the broker keeps the rest (at most
         *               {@code window + 2} are unacknowledged: the window, the one the hub is taking, the
         *               one waiting to enter); default {@value #DEFAULT_WINDOW}
         * @return this builder
         */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be >= 1, but was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * @param loggedRejects rejected messages logged in full (WARN) before the rest are only counted,
         *                      {@code >= 0}; default {@value #DEFAULT_LOGGED_REJECTS}
         * @return this builder
         */
        public Builder loggedRejects(int loggedRejects) {
            if (loggedRejects < 0) {
                throw new IllegalArgumentException("loggedRejects must be >= 0, but was " + loggedRejects);
            }
            this.loggedRejects = loggedRejects;
            return this;
        }

        /**
         * @param deadLetterTopic topic rejected messages are published to (QoS 1) as
         *                        {@code {"topic","reason","error","payload"}}; no wildcards; default none
         * @return this builder
         */
        public Builder deadLetterTopic(String deadLetterTopic) {
            Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            if (deadLetterTopic.isEmpty() || deadLetterTopic.contains("+") || deadLetterTopic.contains("#")) {
                throw new IllegalArgumentException("deadLetterTopic must be a non-empty topic without wildcards, but was '"
                        + deadLetterTopic + "'");
            }
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        /**
         * @param threadFactory makes the worker thread; default a daemon named {@code iotpm-mqtt-ingest}
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** @return the ingest, not started */
        public MqttIngest build() {
            return new MqttIngest(this);
        }
    }
}
