package io.iotpm.mqtt;

import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Creates, connects and closes Paho clients from {@link MqttSettings}; the only place options are set. */
final class PahoClients {

    /** Paho's limit on a client id is the MQTT 3.1.1 one: 23 characters are always allowed, mosquitto takes 65,535. */
    static final String CLIENT_ID_PATTERN = "[A-Za-z0-9_.:-]{1,64}";

    private PahoClients() {
    }

    static String requireClientId(String clientId) {
        if (clientId == null || !clientId.matches(CLIENT_ID_PATTERN)) {
            throw new IllegalArgumentException("clientId must match " + CLIENT_ID_PATTERN + ", but was '" + clientId + "'");
        }
        return clientId;
    }

    static String requirePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be a topic without wildcards or trailing '/', but was '"
                    + prefix + "'");
        }
        return prefix;
    }

    /**
     * @param persistentSession {@code true}: the broker keeps subscriptions and queued QoS-1 messages
     *                          while the client is away (cleanSession=false)
     * @param maxInflight       unacknowledged QoS-1 publishes the client may have outstanding
     */
    static MqttConnectOptions options(MqttSettings s, boolean persistentSession, int maxInflight) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(!persistentSession);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay((int) s.maxReconnectDelay().toMillis());
        o.setKeepAliveInterval((int) s.keepAlive().getSeconds());
        o.setConnectionTimeout((int) s.connectTimeout().getSeconds());
        o.setMaxInflight(maxInflight);
        s.username().ifPresent(o::setUserName);
        char[] pw = s.password();
        if (pw != null) {
            o.setPassword(pw);
        }
        s.tls().ifPresent(ctx -> o.setSocketFactory(ctx.getSocketFactory()));
        return o;
    }

    /** A client without on-disk state: QoS-1 redelivery is the broker's job (persistent session). */
    static MqttAsyncClient create(MqttSettings s, String clientId) {
        try {
            return new MqttAsyncClient(s.url(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new MqttClientException("cannot create an MQTT client for " + s.url() + ": " + e.getMessage(), e);
        }
    }

    /** While disconnected, publishes wait in a bounded buffer instead of failing. */
    static void bufferWhileDisconnected(MqttAsyncClient client, int size) {
        DisconnectedBufferOptions b = new DisconnectedBufferOptions();
        b.setBufferEnabled(true);
        b.setBufferSize(size);
        b.setDeleteOldestMessages(false);
        b.setPersistBuffer(false);
        client.setBufferOpts(b);
    }

    static void connect(MqttAsyncClient client, MqttConnectOptions o, MqttSettings s) {
        try {
            client.connect(o).waitForCompletion(TimeUnit.SECONDS.toMillis(s.connectTimeout().getSeconds() + 5));
        } catch (MqttException e) {
            throw new MqttClientException("cannot connect to " + s.url() + " as '" + client.getClientId() + "': "
                    + describe(e), e);
        }
    }

    /** Disconnects (waiting up to a second for work in progress), then releases the client's threads. */
    static void close(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 1_000);
            } catch (MqttException ignored) {
                // Already gone: close() below still releases the threads.
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            throw new MqttClientException("cannot close MQTT client '" + client.getClientId() + "': " + describe(e), e);
        }
    }

    /**
     * Publishes, waiting while the client already has its maximum of unacknowledged QoS-1 messages
     * outstanding (the broker's acknowledgements pace the caller).
     *
     * @return whether the client took the message; false if it refused it for another reason or
     *         {@code stopped} became true while waiting
     */
    static boolean publish(MqttAsyncClient client, String topic, byte[] payload, int qos, boolean retained,
                           BooleanSupplier stopped) throws InterruptedException {
        return publish(client, topic, payload, qos, retained, null, stopped);
    }

    /**
     * Publishes, waiting with a growing pause while the client's in-flight window is full.
     *
     * @param context the delivery token's user context, or {@code null}
     * @return false if the client refused the message for another reason or {@code stopped} says so
     */
    static boolean publish(MqttAsyncClient client, String topic, byte[] payload, int qos, boolean retained,
                           Object context, BooleanSupplier stopped) throws InterruptedException {
        long backoffMicros = 50;
        while (true) {
            try {
                MqttMessage m = new MqttMessage(payload);
                m.setQos(qos);
                m.setRetained(retained);
                client.publish(topic, m, context, null);
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT || stopped.getAsBoolean()) {
                    return false;
                }
                TimeUnit.MICROSECONDS.sleep(backoffMicros);
                backoffMicros = Math.min(backoffMicros * 2, 10_000);
            }
        }
    }

    static String describe(MqttException e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        return (m == null ? "reason " + e.getReasonCode() : m) + (c != null && c != e ? " (" + c.getMessage() + ")" : "");
    }
}
