package io.iotpm.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of what only a {@link KafkaStreamHub} knows, over its {@link KafkaSubscriberMetrics} (the
 * per-subscriber delivered/failed/dropped counters and queue gauges every hub has come from iotpm-micrometer's
 * {@code StreamHubMetrics}):
 * <ul>
 *   <li>{@code iotpm.kafka.partition.lag} (gauge, records; tags {@code subscriber}, {@code topic} (the Kafka
 *       topic), {@code partition}): records of a partition the subscriber has not handled yet. The partition tag is
 *       bounded by the topic's partition count, and a partition appears only while this process holds it</li>
 *   <li>{@code iotpm.kafka.dead.letters}, {@code iotpm.kafka.commits} (counters, tag {@code subscriber})</li>
 *   <li>{@code iotpm.kafka.send.errors} (counter): sends the cluster did not acknowledge</li>
 * </ul>
 * Micrometer is an optional dependency of this module: only a host that uses this class needs it. Partitions move
 * on a rebalance and subscribers come and go, so call {@link #refresh()} before a scrape (iotpm-micrometer's
 * {@code IotpmBinder.of(binder, binder::refresh, binder::close)} makes it an {@code IotpmBinder} whose refresh the
 * API's {@code /metrics} calls).
 */
public final class KafkaHubMetrics implements MeterBinder, AutoCloseable {

    private final KafkaStreamHub hub;
    private final Tags tags;
    /** Meters per key: a subscriber ({@code s|name}) or one of its partitions ({@code p|name|topic|n}). */
    private final Map<String, List<Meter>> bound = new HashMap<>();
    private final List<Meter> hubMeters = new ArrayList<>();
    private MeterRegistry registry;

    /**
     * @param hub  the hub, kept alive by the host
     * @param tags tags added to every meter (e.g. {@code cluster=plant-1})
     */
    public KafkaHubMetrics(KafkaStreamHub hub, Iterable<Tag> tags) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("already bound to " + this.registry);
        }
        this.registry = Objects.requireNonNull(registry, "registry");
        hubMeters.add(FunctionCounter.builder("iotpm.kafka.send.errors", hub, KafkaStreamHub::sendErrors)
                .description("sends the Kafka cluster did not acknowledge").tags(tags).register(registry));
        refresh();
    }

    /** Registers meters of new subscribers and newly held partitions, and removes those of gone ones. */
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        Map<String, Runnable> now = new HashMap<>();
        if (!hub.isClosed()) {
            for (KafkaSubscriberMetrics m : hub.kafkaMetrics()) {
                String subscriber = m.metrics().subscriber();
                now.put("s|" + subscriber, () -> registerSubscriber(subscriber));
                for (PartitionLag p : m.partitions()) {
                    now.put("p|" + subscriber + '|' + p.topic() + '|' + p.partition(),
                            () -> registerPartition(subscriber, p.topic(), p.partition()));
                }
            }
        }
        bound.keySet().removeIf(key -> {
            if (now.containsKey(key)) {
                return false;
            }
            bound.get(key).forEach(registry::remove);
            return true;
        });
        now.forEach((key, register) -> {
            if (!bound.containsKey(key)) {
                register.run();
            }
        });
    }

    private void registerSubscriber(String subscriber) {
        Tags t = tags.and("subscriber", subscriber);
        List<Meter> meters = List.of(
                FunctionCounter.builder("iotpm.kafka.dead.letters", hub,
                                h -> figure(h, subscriber, KafkaSubscriberMetrics::deadLettered))
                        .description("records a subscriber could not decode, sent to the dead-letter topic")
                        .tags(t).register(registry),
                FunctionCounter.builder("iotpm.kafka.commits", hub,
                                h -> figure(h, subscriber, KafkaSubscriberMetrics::commits))
                        .description("offset commits of a subscriber").tags(t).register(registry));
        bound.put("s|" + subscriber, meters);
    }

    private void registerPartition(String subscriber, String topic, int partition) {
        Tags t = tags.and("subscriber", subscriber, "topic", topic, "partition", Integer.toString(partition));
        Meter lag = Gauge.builder("iotpm.kafka.partition.lag", hub, h -> figure(h, subscriber, m -> {
                    for (PartitionLag p : m.partitions()) {
                        if (p.partition() == partition && p.topic().equals(topic)) {
                            return p.lag();
                        }
                    }
                    return Double.NaN;
                })).description("records of a partition a subscriber has not handled yet").baseUnit("records")
                .tags(t).register(registry);
        bound.put("p|" + subscriber + '|' + topic + '|' + partition, List.of(lag));
    }

    private static double figure(KafkaStreamHub hub, String subscriber, ToDoubleFunction<KafkaSubscriberMetrics> f) {
        for (KafkaSubscriberMetrics m : hub.kafkaMetrics()) {
            if (m.metrics().subscriber().equals(subscriber)) {
                return f.applyAsDouble(m);
            }
        }
        return Double.NaN;
    }

    /** Removes every meter this binder registered; idempotent. */
    @Override
    public synchronized void close() {
        if (registry != null) {
            bound.values().forEach(ms -> ms.forEach(registry::remove));
            bound.clear();
            hubMeters.forEach(registry::remove);
            hubMeters.clear();
        }
    }
}
