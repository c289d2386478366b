package io.iotpm.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of an {@link MqttIngest}, over its {@link IngestMetrics}:
 * {@code iotpm.mqtt.messages.received}, {@code iotpm.mqtt.readings.published}, {@code iotpm.mqtt.messages.acknowledged},
 * {@code iotpm.mqtt.messages.rejected} (tag {@code reason}, one per {@link RejectReason}),
 * {@code iotpm.mqtt.messages.dead.lettered}, {@code iotpm.mqtt.reconnects} (counters),
 * {@code iotpm.mqtt.messages.in.flight} and {@code iotpm.mqtt.connected} (1 or 0) (gauges). The set of meters is
 * fixed, so this binder needs no refresh. Micrometer is an optional dependency of this module: only a host that
 * uses this class needs it (with iotpm-micrometer: {@code IotpmBinder.of(binder, () -> { }, binder::close)}).
 */
public final class MqttIngestMetrics implements MeterBinder, AutoCloseable {

    private final MqttIngest ingest;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    /**
     * @param ingest the ingest, kept alive by the host
     * @param tags   tags added to every meter (e.g. {@code broker=plant-1})
     */
    public MqttIngestMetrics(MqttIngest ingest, Iterable<Tag> tags) {
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("already bound to " + this.registry);
        }
        this.registry = Objects.requireNonNull(registry, "registry");
        counter("iotpm.mqtt.messages.received", "MQTT messages taken from the broker", tags, IngestMetrics::received);
        counter("iotpm.mqtt.readings.published", "readings the hub accepted", tags, IngestMetrics::published);
        counter("iotpm.mqtt.messages.acknowledged", "messages acknowledged to the broker", tags,
                IngestMetrics::acknowledged);
        for (RejectReason reason : RejectReason.values()) {
            counter("iotpm.mqtt.messages.rejected", "messages rejected, by reason",
                    tags.and("reason", reason.name().toLowerCase(java.util.Locale.ROOT)),
                    m -> m.rejected().getOrDefault(reason, 0L));
        }
        counter("iotpm.mqtt.messages.dead.lettered", "rejected messages published to the dead-letter topic", tags,
                IngestMetrics::deadLettered);
        counter("iotpm.mqtt.reconnects", "connections re-established after a loss", tags, IngestMetrics::reconnects);
        meters.add(Gauge.builder("iotpm.mqtt.messages.in.flight", ingest, i -> i.metrics().inFlight())
                .description("messages received but not yet acknowledged").baseUnit("messages").tags(tags)
                .register(registry));
        meters.add(Gauge.builder("iotpm.mqtt.connected", ingest, i -> i.isConnected() ? 1 : 0)
                .description("1 while connected to the broker").tags(tags).register(registry));
    }

    private void counter(String name, String description, Tags t, ToLongFunction<IngestMetrics> figure) {
        meters.add(FunctionCounter.builder(name, ingest, i -> figure.applyAsLong(i.metrics()))
                .description(description).tags(t).register(registry));
    }

    /** Removes every meter this binder registered; idempotent. */
    @Override
    public synchronized void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
