package io.iotpm.benchmarks.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw baseline: how many QoS-1 messages per second mosquitto moves from plain Paho publishers to
 * one plain Paho subscriber (automatic acknowledgements, no parsing, no hub, no storage) on this
 * machine, with the same payload size and connection count as the fleet run.
 */
final class RawMqttThroughput {

    private RawMqttThroughput() {
    }

    /** @return messages per second the subscriber received */
    static double measure(String url, int connections, int maxInflight, int payloadBytes, int seconds)
            throws MqttException, InterruptedException {
        AtomicLong received = new AtomicLong();
        MqttAsyncClient sub = client(url, "raw-sub", 1_000);
        sub.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.incrementAndGet();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        sub.subscribe("raw/+/telemetry", 1).waitForCompletion(10_000);
        List<MqttAsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            pubs.add(client(url, "raw-pub-" + i, maxInflight));
        }
        byte[] payload = "x".repeat(payloadBytes).getBytes(StandardCharsets.US_ASCII);
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(5, seconds));
        long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
        long startCount = -1;
        long n = 0;
        while (System.nanoTime() < end) {
            if (startCount < 0 && System.nanoTime() >= warmEnd) {
                startCount = received.get();
            }
            MqttAsyncClient c = pubs.get((int) (n % connections));
            try {
                c.publish("raw/dev" + (n % 1000) + "/telemetry", payload, 1, false);
                n++;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                TimeUnit.MICROSECONDS.sleep(50);
            }
        }
        double rate = (received.get() - Math.max(0, startCount)) / (double) seconds;
        for (MqttAsyncClient c : pubs) {
            c.disconnect(1_000).waitForCompletion(5_000);
            c.close(true);
        }
        // Unsubscribe and let the backlog drain first: a disconnect while the broker still sends made
        // Paho's receiver thread fail with a NullPointerException on its discarded state.
        sub.unsubscribe("raw/+/telemetry").waitForCompletion(5_000);
        long last = -1;
        for (int i = 0; i < 50 && received.get() != last; i++) {
            last = received.get();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        sub.disconnect(1_000).waitForCompletion(5_000);
        sub.close(true);
        return rate;
    }

    private static MqttAsyncClient client(String url, String id, int maxInflight) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(maxInflight);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }
}
