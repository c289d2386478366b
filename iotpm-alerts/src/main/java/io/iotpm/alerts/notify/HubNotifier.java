package io.iotpm.alerts.notify;

import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.Notifier;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;

import java.util.Objects;

/**
 * Publishes every notification to a {@link StreamHub} on {@link #TOPIC} (the {@code alerts} topic,
 * keyed by device id), so dashboards, the SSE stream or a Kafka bridge see alerts live. The hub's
 * overflow policy applies on the notifier's thread, never on the ingest thread.
 */
public final class HubNotifier implements Notifier {

    /** The alerts topic: {@link AlertNotification}s keyed by the alert's device id. */
    public static final Topic<AlertNotification> TOPIC =
            Topic.alerts(AlertNotification.class, n -> n.alert().deviceId());

    private final StreamHub hub;

    private HubNotifier(StreamHub hub) {
        this.hub = hub;
    }

    /**
     * @param hub where to publish; the host owns and closes it
     * @return the notifier
     */
    public static HubNotifier to(StreamHub hub) {
        return new HubNotifier(Objects.requireNonNull(hub, "hub"));
    }

    @Override
    public void send(AlertNotification notification) {
        hub.publish(TOPIC, notification);
    }

    @Override
    public boolean accepts(AlertNotification.Event event) {
        return true;
    }

    @Override
    public String name() {
        return "hub";
    }

    @Override
    public String kind() {
        return "hub";
    }
}
