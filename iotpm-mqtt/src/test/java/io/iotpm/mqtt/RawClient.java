package io.iotpm.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain Paho client for the tests' side of the broker: publishes payloads, records what it receives. */
final class RawClient implements AutoCloseable {

    /** One received message. */
    record Received(String topic, String payload, boolean retained) {
    }

    private final MqttClient client;
    final List<Received> received = new CopyOnWriteArrayList<>();

    RawClient(String url) throws MqttException {
        client = new MqttClient(url, "raw-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1_000);
        client.connect(o);
    }

    /** Publishes with QoS 1 and returns once the broker acknowledged it. */
    void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    void subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1);
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
