package io.iotpm.core;

/**
 * Receives what a monitoring pipeline sees: every reading and every prediction. The alert manager
 * plugs in here. Called on the pipeline's thread, so implementations return quickly and hand
 * slow work (e-mail, webhooks) to threads of their own.
 */
public interface MonitoringListener {

    /** Called for every reading, in per-device order. The default does nothing. */
    default void onReading(SensorReading reading) {
    }

    /** Called for every prediction. The default does nothing. */
    default void onPrediction(Prediction prediction) {
    }
}
