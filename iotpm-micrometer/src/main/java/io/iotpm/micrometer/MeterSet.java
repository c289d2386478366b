package io.iotpm.micrometer;

import io.iotpm.core.metrics.Distribution;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The meters one binder registered in one registry, so the binder can add more later and remove them all. Each
 * meter reads a state object the host keeps alive (a hub, a pipeline) through a function: Micrometer holds the
 * state weakly, so a dropped component stops being reported instead of being pinned by the registry.
 *
 * <p>Thread-safe: registration and removal synchronise on the set.
 */
final class MeterSet {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    MeterSet(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    <T> void counter(String name, String description, Tags tags, T state, ToLongFunction<T> count) {
        add(FunctionCounter.builder(name, state, s -> count.applyAsLong(s))
                .description(description).tags(tags).register(registry));
    }

    <T> void gauge(String name, String description, String baseUnit, Tags tags, T state, ToDoubleFunction<T> value) {
        add(Gauge.builder(name, state, value).description(description).baseUnit(baseUnit).tags(tags)
                .register(registry));
    }

    /**
     * A timer over a distribution of nanoseconds: {@code name} (count and total time) and {@code name.max}.
     */
    <T> void timer(String name, String description, Tags tags, T state, Function<T, Distribution> nanos) {
        add(FunctionTimer.builder(name, state, s -> nanos.apply(s).count(), s -> nanos.apply(s).total(),
                TimeUnit.NANOSECONDS).description(description).tags(tags).register(registry));
        add(TimeGauge.builder(name + ".max", state, TimeUnit.NANOSECONDS, s -> nanos.apply(s).max())
                .description("largest of " + description).tags(tags).register(registry));
    }

    synchronized void add(Meter meter) {
        meters.add(meter);
    }

    /** Removes (from the registry too) the meters whose id matches. */
    synchronized void removeIf(Predicate<Meter.Id> which) {
        meters.removeIf(m -> {
            if (which.test(m.getId())) {
                registry.remove(m);
                return true;
            }
            return false;
        });
    }

    synchronized void removeAll() {
        removeIf(id -> true);
    }

    MeterRegistry registry() {
        return registry;
    }
}
