package io.iotpm.core.pipeline;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands readings and predictions to the pipeline's {@link MonitoringListener}s in registration
 * order. A listener that throws loses that one call, counted and logged (the first ten, then every
 * thousandth); the others still hear everything.
 */
final class ListenerFanOut {

    // The pipeline's logger, so a host's log settings for MonitoringPipeline cover its parts.
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);

    private final String name;
    private final List<MonitoringListener> listeners;
    private final PipelineCounters counters;

    ListenerFanOut(String name, List<MonitoringListener> listeners, PipelineCounters counters) {
        this.name = name;
        this.listeners = List.copyOf(listeners);
        this.counters = counters;
    }

    void onReading(SensorReading r) {
        for (MonitoringListener l : listeners) {
            try {
                l.onReading(r);
            } catch (RuntimeException e) {
                failed("reading", r.deviceId(), e);
            }
        }
    }

    void onPrediction(Prediction p) {
        for (MonitoringListener l : listeners) {
            try {
                l.onPrediction(p);
            } catch (RuntimeException e) {
                failed("prediction", p.deviceId(), e);
            }
        }
    }

    private void failed(String what, String deviceId, RuntimeException e) {
        long n = counters.listenerErrors.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("pipeline '{}': listener failed on a {} of device '{}' ({} so far)", name, what, deviceId,
                    n, e);
        }
    }
}
