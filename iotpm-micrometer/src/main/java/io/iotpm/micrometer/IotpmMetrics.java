package io.iotpm.micrometer;

import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.stream.StreamHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binders of one iotpm system, bound together: a hub, pipelines, alerts and any other {@link IotpmBinder}
 * (Kafka, MQTT or a host's own, often a {@link SnapshotMeters}).
 *
 * <pre>{@code
 * try (IotpmMetrics metrics = IotpmMetrics.builder()
 *         .hub(hub).pipeline(pipeline, "main")
 *         .binder(new AlertMetrics<>(alerts, m -> m.stats().counts()))
 *         .build()) {
 *     metrics.bindTo(prometheusRegistry);
 *     ...
 *     metrics.refresh();                 // before each scrape: new subscribers, a replaced model
 *     String text = prometheusRegistry.scrape();
 * }
 * }</pre>
 */
public final class IotpmMetrics implements IotpmBinder {

    private final List<IotpmBinder> binders;

    private IotpmMetrics(List<IotpmBinder> binders) {
        this.binders = List.copyOf(binders);
    }

    /** @return a builder with no binders */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the binders, in the order they were added */
    public List<IotpmBinder> binders() {
        return binders;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (IotpmBinder b : binders) {
            b.bindTo(registry);
        }
    }

    @Override
    public void refresh() {
        for (IotpmBinder b : binders) {
            b.refresh();
        }
    }

    @Override
    public void close() {
        for (IotpmBinder b : binders) {
            b.close();
        }
    }

    /** Collects the binders; each setter adds one. */
    public static final class Builder {

        private final List<IotpmBinder> binders = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds the meters of a hub's subscribers ({@link StreamHubMetrics}).
         *
         * @param hub the hub
         * @return this builder
         */
        public Builder hub(StreamHub hub) {
            return binder(new StreamHubMetrics(hub, Tags.empty()));
        }

        /**
         * Adds the pipeline, storage and predictor meters of a pipeline ({@link MonitoringPipelineMetrics}).
         *
         * @param pipeline the pipeline
         * @param name     its {@code pipeline} tag
         * @return this builder
         */
        public Builder pipeline(MonitoringPipeline pipeline, String name) {
            return binder(new MonitoringPipelineMetrics(pipeline, name));
        }

        /**
         * Adds any binder: {@link AlertMetrics}, a {@link SnapshotMeters} over a Kafka or MQTT snapshot, a host's own.
         *
         * @param binder the binder, not yet bound
         * @return this builder
         */
        public Builder binder(IotpmBinder binder) {
            binders.add(Objects.requireNonNull(binder, "binder"));
            return this;
        }

        /** @return the binders together, not yet bound */
        public IotpmMetrics build() {
            return new IotpmMetrics(binders);
        }
    }
}
