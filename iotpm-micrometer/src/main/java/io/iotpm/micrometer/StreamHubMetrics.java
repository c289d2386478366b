package io.iotpm.micrometer;

import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Per-subscriber meters of a {@link StreamHub}, tagged {@code topic} and {@code subscriber} (both few: one per
 * consumer, never per device):
 * <ul>
 *   <li>{@code iotpm.hub.messages} (counter, tag {@code outcome}: {@code delivered}, {@code failed},
 *       {@code dropped})</li>
 *   <li>{@code iotpm.hub.queue.depth}, {@code iotpm.hub.queue.capacity}, {@code iotpm.hub.lag} (gauges,
 *       messages)</li>
 * </ul>
 * Subscribers come and go: {@link #refresh()} registers new ones and removes the meters of closed ones.
 */
public final class StreamHubMetrics implements IotpmBinder {

    private final StreamHub hub;
    private final Tags tags;
    private final Set<String> bound = new HashSet<>();
    private MeterSet meters;

    /**
     * @param hub  the hub, kept alive by the host
     * @param tags tags added to every meter (e.g. {@code hub=main} when a host has several)
     */
    public StreamHubMetrics(StreamHub hub, Iterable<Tag> tags) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (meters != null) {
            throw new IllegalStateException("already bound to " + meters.registry());
        }
        meters = new MeterSet(registry);
        refresh();
    }

    @Override
    public synchronized void refresh() {
        if (meters == null || hub.isClosed()) {
            return;
        }
        Set<String> now = new HashSet<>();
        for (SubscriberMetrics m : hub.metrics()) {
            String key = key(m.topic(), m.subscriber());
            now.add(key);
            if (bound.add(key)) {
                register(m.topic(), m.subscriber());
            }
        }
        for (String gone : Set.copyOf(bound)) {
            if (!now.contains(gone)) {
                bound.remove(gone);
                meters.removeIf(id -> gone.equals(key(id.getTag("topic"), id.getTag("subscriber"))));
            }
        }
    }

    private void register(String topic, String subscriber) {
        Tags t = tags.and("topic", topic, "subscriber", subscriber);
        for (String outcome : new String[] {"delivered", "failed", "dropped"}) {
            meters.counter("iotpm.hub.messages", "messages of a subscriber by outcome: delivered (handler "
                    + "returned), failed (handler threw), dropped (overflow or close)", t.and("outcome", outcome), hub,
                    h -> {
                        SubscriberMetrics m = find(h, topic, subscriber);
                        if (m == null) {
                            return 0;
                        }
                        return switch (outcome) {
                            case "delivered" -> m.delivered();
                            case "failed" -> m.failed();
                            default -> m.dropped();
                        };
                    });
        }
        gauge("iotpm.hub.queue.depth", "messages waiting in a subscriber's queue", t, topic, subscriber,
                SubscriberMetrics::queueDepth);
        gauge("iotpm.hub.queue.capacity", "a subscriber's queue capacity", t, topic, subscriber,
                SubscriberMetrics::capacity);
        gauge("iotpm.hub.lag", "messages published to a subscriber and not yet handled", t, topic, subscriber,
                SubscriberMetrics::lag);
    }

    private void gauge(String name, String description, Tags t, String topic, String subscriber,
                       ToDoubleFunction<SubscriberMetrics> figure) {
        meters.gauge(name, description, "messages", t, hub, h -> {
            SubscriberMetrics m = find(h, topic, subscriber);
            return m == null ? Double.NaN : figure.applyAsDouble(m);
        });
    }

    private static SubscriberMetrics find(StreamHub hub, String topic, String subscriber) {
        for (SubscriberMetrics m : hub.metrics()) {
            if (m.subscriber().equals(subscriber) && m.topic().equals(topic)) {
                return m;
            }
        }
        return null;
    }

    private static String key(String topic, String subscriber) {
        return topic + '\u0000' + subscriber;
    }

    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.removeAll();
            bound.clear();
        }
    }
}
