package io.iotpm.micrometer;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A {@link MeterBinder} of iotpm figures that can follow a changing set of sources (subscribers that come and go,
 * a model replaced at run time) and remove its meters again. Bind it once.
 */
public interface IotpmBinder extends MeterBinder, AutoCloseable {

    /**
     * Registers meters for sources that appeared since the last call and removes those of sources that are gone.
     * Call it before a scrape (the API's {@code /metrics} does); cheap when nothing changed. The default does
     * nothing: binders over a fixed set of sources need no refresh.
     */
    default void refresh() {
    }

    /** Removes every meter this binder registered; idempotent. */
    @Override
    void close();

    /**
     * Adapts a plain {@link MeterBinder} of a module that cannot know this one (iotpm-kafka's
     * {@code KafkaHubMetrics}, iotpm-mqtt's {@code MqttIngestMetrics}: they depend on Micrometer alone, optionally).
     *
     * <pre>{@code
     * KafkaHubMetrics kafka = new KafkaHubMetrics(hub, Tags.empty());
     * Observability.builder().binder(IotpmBinder.of(kafka, kafka::refresh, kafka::close))
     * }</pre>
     *
     * @param binder  registers the meters
     * @param refresh follows a changing set of sources before a scrape ({@code () -> { }} when there is none)
     * @param close   removes the meters again
     * @return the binder as an {@code IotpmBinder}
     */
    static IotpmBinder of(MeterBinder binder, Runnable refresh, Runnable close) {
        java.util.Objects.requireNonNull(binder, "binder");
        java.util.Objects.requireNonNull(refresh, "refresh");
        java.util.Objects.requireNonNull(close, "close");
        return new IotpmBinder() {
            @Override
            public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
                binder.bindTo(registry);
            }

            @Override
            public void refresh() {
                refresh.run();
            }

            @Override
            public void close() {
                close.run();
            }

            @Override
            public String toString() {
                return binder.toString();
            }
        };
    }
}
