package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.api.training.ModelCatalog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * {@code /api/models}: the stored models of the server's schema, and switching the active one (admin),
 * which the server then predicts with at once, and compares live readings with for drift.
 */
final class ModelCatalogHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalogHandlers.class);

    private final ApiContext api;
    private final ModelCatalog catalog;

    /** An entry as JSON (times as ISO-8601 text). */
    record EntryView(String version, String kind, String schema, String trainingFrom, String trainingTo,
                     Map<String, Double> metrics, String registeredBy, String registeredAt, boolean active) {
        static EntryView of(ModelCatalog.Entry e) {
            return new EntryView(e.version(), e.kind(), e.schema(), text(e.trainingFrom()), text(e.trainingTo()),
                    e.metrics(), e.registeredBy(), text(e.registeredAt()), e.active());
        }

        private static String text(java.time.Instant t) {
            return t == null ? null : t.toString();
        }
    }

    ModelCatalogHandlers(ApiContext api, ModelCatalog catalog) {
        this.api = api;
        this.catalog = catalog;
    }

    void register(RoutesConfig r) {
        r.get("/api/models", this::list, Role.VIEWER);
        r.post("/api/models/{id}/activate", this::activate, Role.ADMIN);
        r.post("/api/models/rollback", this::rollback, Role.ADMIN);
    }

    private void list(Context ctx) {
        List<EntryView> models = catalog.models().stream().map(EntryView::of).toList();
        ctx.json(Map.of("models", models, "count", models.size()));
    }

    private void activate(Context ctx) throws Exception {
        String version = ctx.pathParam("id");
        ModelCatalog.Activation a;
        try {
            a = catalog.activate(version);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "not_found", e.getMessage(), null);
        }
        switched(ctx, "activated", a);
    }

    private void rollback(Context ctx) throws Exception {
        ModelCatalog.Activation a;
        try {
            a = catalog.rollback();
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage(), null);
        }
        switched(ctx, "rolled back to", a);
    }

    private void switched(Context ctx, String what, ModelCatalog.Activation a) {
        api.replacePredictor(a.predictor());
        DriftFollower.follow(api, a.entry().version(), a.entry().trainingFrom(), a.entry().trainingTo());
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        LOG.info("{} {} model {}", p.username(), what, a.entry().version());
        ctx.json(EntryView.of(a.entry()));
    }
}
