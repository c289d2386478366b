package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftSnapshot;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;

/** {@code GET /api/drift}: the input drift of live readings against the model's training data, per group and channel. */
final class DriftHandlers {

    private final DriftMonitor drift;

    /** The answer of {@code GET /api/drift}. */
    record DriftView(double threshold, int window, int minReadings, long readings, long droppedReadings,
                     List<String> groups, List<DriftSnapshot> channels) {
    }

    DriftHandlers(DriftMonitor drift) {
        this.drift = drift;
    }

    void register(RoutesConfig r) {
        r.get("/api/drift", this::get, Role.VIEWER);
    }

    private void get(Context ctx) {
        ctx.json(new DriftView(drift.threshold(), drift.window(), drift.minReadings(), drift.readings(),
                drift.droppedReadings(), drift.groups(), drift.snapshots()));
    }
}
