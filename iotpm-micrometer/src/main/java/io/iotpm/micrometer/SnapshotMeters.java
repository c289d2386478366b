package io.iotpm.micrometer;

import io.iotpm.core.metrics.Distribution;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Meters over any snapshot record, for sources this module does not know (a Kafka hub, an MQTT bridge, a host's
 * own component): name each figure once, and every scrape reads a fresh snapshot from the source.
 *
 * <pre>{@code
 * SnapshotMeters.of(bridge, MqttBridge::metrics).tags("broker", "plant-1")
 *     .counter("iotpm.mqtt.messages.received", "MQTT messages taken from the broker", MqttMetrics::received)
 *     .gauge("iotpm.mqtt.connected", "1 while connected", null, m -> m.connected() ? 1 : 0)
 *     .build().bindTo(registry);
 * }</pre>
 *
 * <p>The source is held weakly (as Micrometer holds a gauge's state): the host keeps it alive; once it is
 * collected its meters report NaN.
 *
 * @param <T> the source type
 * @param <S> the snapshot type
 */
public final class SnapshotMeters<T, S> implements IotpmBinder {

    private final T source;
    private final Tags tags;
    private final List<Spec<T>> specs;
    private MeterSet meters;

    private SnapshotMeters(Builder<T, S> b) {
        this.source = b.source;
        this.tags = b.tags;
        this.specs = List.copyOf(b.specs);
    }

    /**
     * Starts a binder over one source.
     *
     * @param source   the component, kept alive by the host
     * @param snapshot reads its current snapshot; called once per meter per scrape, so it should be cheap
     * @param <T>      the source type
     * @param <S>      the snapshot type
     * @return a builder with no meters and no tags
     */
    public static <T, S> Builder<T, S> of(T source, Function<? super T, ? extends S> snapshot) {
        return new Builder<>(source, snapshot);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (meters != null) {
            throw new IllegalStateException("already bound to " + meters.registry());
        }
        meters = new MeterSet(registry);
        for (Spec<T> spec : specs) {
            spec.register(meters, tags, source);
        }
    }

    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.removeAll();
        }
    }

    /** One meter to register: name, description and how it reads the snapshot. */
    private interface Spec<T> {
        void register(MeterSet set, Tags tags, T source);
    }

    /**
     * Names the meters of a {@link SnapshotMeters}. Names follow Micrometer's conventions (lower case, dot
     * separated, no unit suffix: registries add {@code _total}, {@code _seconds}).
     *
     * @param <T> the source type
     * @param <S> the snapshot type
     */
    public static final class Builder<T, S> {

        private final T source;
        private final Function<? super T, ? extends S> snapshot;
        private final List<Spec<T>> specs = new ArrayList<>();
        private Tags tags = Tags.empty();

        private Builder(T source, Function<? super T, ? extends S> snapshot) {
            this.source = Objects.requireNonNull(source, "source");
            this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        }

        /**
         * Adds tags to every meter; keep their values few (no device ids).
         *
         * @param keyValues key, value, key, value, ...
         * @return this builder
         * @throws IllegalArgumentException if the count is odd
         */
        public Builder<T, S> tags(String... keyValues) {
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("tags come in key/value pairs, but got " + keyValues.length
                        + " strings");
            }
            tags = tags.and(keyValues);
            return this;
        }

        /**
         * A counter: a figure that only grows.
         *
         * @param name        the meter name
         * @param description what it counts
         * @param figure      reads it from a snapshot
         * @return this builder
         */
        public Builder<T, S> counter(String name, String description, ToLongFunction<? super S> figure) {
            return counter(name, Tags.empty(), description, figure);
        }

        /**
         * A counter with tags of its own beside the binder's, e.g. one {@code outcome} of several counted
         * under one name.
         *
         * @param name        the meter name
         * @param own         its own tags
         * @param description what it counts
         * @param figure      reads it from a snapshot
         * @return this builder
         */
        public Builder<T, S> counter(String name, Iterable<Tag> own, String description,
                                     ToLongFunction<? super S> figure) {
            requireName(name);
            Function<? super T, ? extends S> snap = snapshot;
            Tags mine = Tags.of(own);
            specs.add((set, t, src) -> set.counter(name, description, t.and(mine), src,
                    s -> figure.applyAsLong(snap.apply(s))));
            return this;
        }

        /**
         * A gauge: a figure that goes up and down.
         *
         * @param name        the meter name
         * @param description what it measures
         * @param baseUnit    its unit (e.g. {@code "messages"}), or {@code null}
         * @param figure      reads it from a snapshot
         * @return this builder
         */
        public Builder<T, S> gauge(String name, String description, String baseUnit, ToDoubleFunction<? super S> figure) {
            requireName(name);
            Function<? super T, ? extends S> snap = snapshot;
            specs.add((set, t, src) -> set.gauge(name, description, baseUnit, t, src,
                    s -> figure.applyAsDouble(snap.apply(s))));
            return this;
        }

        /**
         * A timer over a {@link Distribution} of nanoseconds: {@code name} (count, total time) and {@code name.max}.
         *
         * @param name        the meter name
         * @param description what it times
         * @param nanos       reads the distribution from a snapshot
         * @return this builder
         */
        public Builder<T, S> timer(String name, String description, Function<? super S, Distribution> nanos) {
            requireName(name);
            Function<? super T, ? extends S> snap = snapshot;
            specs.add((set, t, src) -> set.timer(name, description, t, src,
                    s -> nanos.apply(snap.apply(s))));
            return this;
        }

        /** @return the binder, not yet bound */
        public SnapshotMeters<T, S> build() {
            return new SnapshotMeters<>(this);
        }

        private static void requireName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("meter name must not be blank, but was '" + name + "'");
            }
        }
    }
}
