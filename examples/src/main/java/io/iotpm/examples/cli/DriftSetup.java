package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.ml.registry.ModelEntry;
import io.iotpm.ml.registry.ModelRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The input-drift monitor {@code ./iotpm api} serves: its reference is the stored history of the active
 * model's training range (from the registry entry; the backfilled history when the entry has none).
 */
final class DriftSetup {

    private DriftSetup() {
    }

    /**
     * @param from    start of the stored history, used when the active entry names no training range
     * @param to      end of the stored history, likewise
     * @param devices simulated devices; the window holds one simulated day of all of them, so the daily
     *                load cycle does not read as drift, and a channel counts only once the window is full
     */
    static DriftMonitor monitor(ModelRegistry registry, SensorSchema schema, StorageBackend store, Instant from,
                                Instant to, int devices) {
        ModelEntry active = registry.active(schema.name()).orElse(null);
        Instant start = active != null && active.trainingFrom() != null ? active.trainingFrom() : from;
        Instant end = active != null && active.trainingTo() != null ? active.trainingTo() : to;
        List<SensorReading> training = new ArrayList<>();
        store.devices().forEach(d -> training.addAll(store.range(d.deviceId(), start, end)));
        int window = (int) Math.min(1_000_000, devices * (Duration.ofDays(1).toMinutes()
                / SensorSimulator.DEFAULT_INTERVAL.toMinutes()));
        return DriftMonitor.builder(DriftReference.fromReadings(schema, training)).window(window).minReadings(window)
                .build();
    }
}
