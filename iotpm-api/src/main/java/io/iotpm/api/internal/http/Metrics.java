package io.iotpm.api.internal.http;

import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.observability.Observability;
import io.iotpm.micrometer.AlertMetrics;
import io.iotpm.micrometer.IotpmBinder;
import io.iotpm.micrometer.IotpmMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meter registry and the binders it bound: the hub's, the alert manager's, the host's, and (on a
 * registry the server created) the JVM's. {@link #scrape()} refreshes the binders first, so subscribers and
 * notifiers that appeared since the last scrape are in it.
 */
final class Metrics implements AutoCloseable {

    /** The Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final boolean owned;
    private final IotpmMetrics binders;
    private JvmGcMetrics gc;

    Metrics(ServerSettings settings, Observability obs) {
        this.owned = obs.registry() == null;
        this.registry = owned ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : obs.registry();
        IotpmMetrics.Builder b = IotpmMetrics.builder();
        if (settings.hub() != null) {
            b.hub(settings.hub());
        }
        if (settings.alerts() != null) {
            b.binder(new AlertMetrics<>(settings.alerts(), m -> m.stats().counts()));
        }
        for (IotpmBinder extra : obs.binders()) {
            b.binder(extra);
        }
        this.binders = b.build();
        if (owned && obs.jvmMetrics()) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        }
    }

    /** Binds the iotpm binders; called once, when the server starts. */
    void bind() {
        binders.bindTo(registry);
    }

    /** @return every meter in the Prometheus text format */
    String scrape() {
        binders.refresh();
        return registry.scrape();
    }

    @Override
    public void close() {
        binders.close();
        if (gc != null) {
            gc.close();
        }
        if (owned) {
            registry.close();
        }
    }
}
