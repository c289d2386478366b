package io.iotpm.examples.cli;

import io.iotpm.alerts.AlertManager;
import io.iotpm.api.IotpmServer;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.iotpm.kafka.KafkaStreamHub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server beside Kafka pipelines, showing the whole fleet. Its hub is a {@link KafkaStreamHub} of its
 * own consumer group, so it reads every partition whichever pipeline owns it; its storage is the pipelines'
 * shared store (devices, readings, {@code POST /api/predict/{id}}). The fleet's alerts come from one alert
 * manager here, fed by the readings and predictions topics: one evaluator for every device keeps one alert
 * per (rule, device) fleet-wide, where per-pipeline managers would each raise their own after a rebalance.
 * The predictions the pipelines publish arrive through the predictions topic ({@link #latestPredictions()},
 * {@code /api/stream}). Readings posted to the API go to the readings topic, so the pipelines store them.
 */
final class KafkaFleetApi implements AutoCloseable {

    private final KafkaStreamHub hub;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Map<String, Prediction> latest = new ConcurrentHashMap<>();
    private final IotpmServer server;

    /**
     * Starts the server on a free port, in demo mode (the demo users).
     *
     * @param hub       a hub with a group id of its own (not the pipelines'); closed by {@link #close()}
     * @param storage   the pipelines' store; not closed here
     * @param predictor answers {@code POST /api/predict/{id}} from the stored readings
     * @param alerts    the fleet's alert manager, fed from the hub's topics; not closed here
     */
    KafkaFleetApi(KafkaStreamHub hub, StorageBackend storage, Predictor predictor, AlertManager alerts) {
        this.hub = hub;
        try {
            // BLOCK (the log is the queue): the alert manager must see every reading, not a live sample.
            subscriptions.add(hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("fleet-alerts").build(),
                    alerts::onReading));
            subscriptions.add(hub.subscribe(Topic.PREDICTIONS, SubscriberOptions.builder()
                    .name("fleet-predictions").build(), p -> {
                        latest.merge(p.deviceId(), p, (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
                        alerts.onPrediction(p);
                    }));
            server = IotpmServer.builder().port(0).storage(storage).hub(hub).ingestToHub(true).predictor(predictor)
                    .alerts(alerts).demoMode(true).build().start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the server's base URL, e.g. {@code http://127.0.0.1:41234} */
    String url() {
        return server.url();
    }

    /** @return the newest prediction of each device read from the predictions topic */
    Map<String, Prediction> latestPredictions() {
        return Map.copyOf(latest);
    }

    @Override
    public void close() {
        // The server first: its SSE subscriptions end before the hub they read from.
        if (server != null) {
            server.close();
        }
        for (Subscription s : subscriptions) {
            s.close();
        }
        hub.close(Duration.ofSeconds(5));
    }
}
