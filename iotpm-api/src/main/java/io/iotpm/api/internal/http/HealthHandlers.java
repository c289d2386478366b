package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;

/**
 * The platform's endpoints on the API port: the liveness and readiness probes (public, like
 * {@code /api/health}) and {@code GET /metrics} (admin only: the figures describe the whole installation).
 * The management port serves the same answers without a token ({@link ManagementServer}).
 */
final class HealthHandlers {

    static final String LIVE = "/api/health/live";
    static final String READY = "/api/health/ready";
    static final String METRICS = "/metrics";

    private final Readiness readiness;
    private final Metrics metrics;

    HealthHandlers(Readiness readiness, Metrics metrics) {
        this.readiness = readiness;
        this.metrics = metrics;
    }

    void register(RoutesConfig r) {
        r.get(LIVE, this::live, ServerSetup.Access.PUBLIC);
        r.get(READY, this::ready, ServerSetup.Access.PUBLIC);
        r.get(METRICS, this::metrics, Role.ADMIN);
    }

    /** Liveness says only that the server answers: a dependency's outage is readiness, not a reason to restart. */
    static byte[] liveBody() {
        return Json.write(Map.of("status", "UP"));
    }

    private void live(Context ctx) {
        ctx.contentType("application/json").result(liveBody());
    }

    private void ready(Context ctx) {
        Readiness.Report report = readiness.run();
        ctx.status(report.up() ? 200 : 503).json(report);
    }

    private void metrics(Context ctx) {
        ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
    }
}
