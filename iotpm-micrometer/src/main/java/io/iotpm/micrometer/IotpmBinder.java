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
}
