package io.iotpm.api.internal.http;

import io.iotpm.alerts.AlertManager;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.internal.auth.LoginThrottle;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** What the handlers share: settings, the token service, the login throttle and the JSON codec. */
final class ApiContext implements AutoCloseable {

    final ServerSettings settings;
    final TokenService tokens;
    final LoginThrottle throttle;
    final ReadingJson readingJson;
    final LiveStream live;
    final PageCache pageCache = new PageCache();
    /** The registered routes as {@code "METHOD /path"}; set by the server once Javalin is configured. */
    volatile Supplier<List<String>> routes = List::of;
    private volatile Predictor predictor;
    /** A predictor a training job made: the server owns it and closes it when replaced or on close. */
    private Predictor owned;
    private StreamHandlers stream;
    /** The probes and /metrics; set by the server before Javalin is configured. */
    HealthHandlers health;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    ApiContext(ServerSettings settings) {
        this.settings = settings;
        this.tokens = new TokenService(settings.secret(), settings.clock(), settings.accessTtl(), settings.refreshTtl());
        this.throttle = new LoginThrottle(settings.loginFailures(), settings.loginWindow(), settings.clock());
        this.readingJson = ReadingJson.of(settings.schema());
        this.live = new LiveStream(settings.maxStreamClients());
        this.predictor = settings.predictor();
        onClose(live);
    }

    void register(RoutesConfig routes) {
        new AuthHandlers(this).register(routes);
        new DeviceHandlers(this).register(routes);
        new PredictHandlers(this).register(routes);
        new InfoHandlers(this).register(routes);
        new StorageHandlers(this).register(routes);
        new NotificationHandlers(this).register(routes);
        if (health != null) {
            health.register(routes);
        }
        // Optional features register their routes only when configured, so the OpenAPI document (filtered
        // to the registered routes) tells clients such as the dashboard what this server offers.
        if (settings.alerts() != null) {
            new AlertHandlers(this).register(routes);
        }
        if (settings.trainer() != null) {
            TrainingJobs jobs = new TrainingJobs(this, settings.trainer());
            onClose(jobs);
            jobs.register(routes);
        }
        if (settings.trainer() instanceof io.iotpm.api.training.ModelCatalog catalog) {
            new ModelCatalogHandlers(this, catalog).register(routes);
        }
        if (settings.drift() != null) {
            new DriftHandlers(settings.drift()).register(routes);
        }
        stream = new StreamHandlers(this);
        stream.register(routes);
    }

    /** The server's alert manager; endpoints that need one answer 503 when none is configured. */
    AlertManager alerts() {
        AlertManager m = settings.alerts();
        if (m == null) {
            throw new ApiException(503, "no_alerts", "no alert manager is configured on this server", null);
        }
        return m;
    }

    /** @return the predictor serving predictions now, or {@code null} */
    Predictor predictor() {
        return predictor;
    }

    /** Serves predictions with a newly trained predictor from now on; closes the previous one if the server owned it. */
    synchronized void replacePredictor(Predictor next) {
        Predictor previous = owned;
        predictor = next;
        owned = next;
        if (previous != null) {
            // Requests already holding it may still be predicting; a trained predictor's close only frees
            // native memory, which the engine keeps alive for in-flight calls.
            previous.close();
        }
    }

    /** Registers something the server must close on shutdown (live streams, job executors). */
    void onClose(AutoCloseable c) {
        closeables.add(c);
    }

    /**
     * @return the principal of the request's bearer token
     * @throws ApiException 401 when the header is missing, malformed or the token is invalid
     */
    TokenService.Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && ctx.path().equals(StreamHandlers.PATH)
                && ctx.queryParam("ticket") != null) {
            return stream.consume(ctx.queryParam("ticket"));
        }
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing bearer token: send 'Authorization: Bearer <token>'"
                    + " from POST /api/auth/login");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Authorization header must use the Bearer scheme");
        }
        return tokens.verifyAccess(header.substring(7).strip());
    }

    /** Forwards an alert (raised by the manager, or changed through the API) to the live stream. */
    void publishAlert(String deviceId, AlertHandlers.AlertView alert) {
        if (live.hasListeners("alerts")) {
            live.publish("alerts", deviceId, AlertHandlers.json(alert));
        }
    }

    /** Subscribes the live stream to the alert manager and the hub's topics, where there are some. */
    void subscribe() {
        if (settings.alerts() != null) {
            // The manager has no way to remove a callback; after close() the live stream ignores it.
            settings.alerts().addCallback(a -> publishAlert(a.deviceId(), AlertHandlers.view(a)));
        }
        StreamHub hub = settings.hub();
        if (hub == null) {
            return;
        }
        onClose(hub.subscribe(Topic.READINGS, options("readings"), r -> {
            if (live.hasListeners("readings")) {
                live.publish("readings", r.deviceId(), readingJson.write(r));
            }
        }));
        onClose(hub.subscribe(Topic.PREDICTIONS, options("predictions"), p -> {
            if (live.hasListeners("predictions")) {
                live.publish("predictions", p.deviceId(), predictionJson(p));
            }
        }));
    }

    private static SubscriberOptions options(String topic) {
        return SubscriberOptions.builder().name("iotpm-api-sse-" + topic).capacity(4096)
                .overflow(Overflow.DROP_OLDEST).build();
    }

    private static String predictionJson(Prediction p) {
        return new String(Json.write(PredictHandlers.view(p, null)), StandardCharsets.UTF_8);
    }

    /**
     * Called after readings were stored by the API itself: feeds the live stream (readings that come
     * through the hub reach it by the subscription instead).
     */
    void published(List<SensorReading> readings) {
        if (live.hasListeners("readings")) {
            for (SensorReading r : readings) {
                live.publish("readings", r.deviceId(), readingJson.write(r));
            }
        }
    }

    /** Called after predictions were made; feeds the live stream. */
    void publishedPredictions(List<Prediction> predictions) {
        if (live.hasListeners("predictions")) {
            for (Prediction p : predictions) {
                live.publish("predictions", p.deviceId(), predictionJson(p));
            }
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        Collections.reverse(r);
        return r;
    }

    @Override
    public void close() {
        // Reverse order: hub subscriptions stop feeding before the live stream ends.
        for (AutoCloseable c : reversed(closeables)) {
            try {
                c.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ApiServer.LOGGER).warn("error closing {}", c, e);
            }
        }
        synchronized (this) {
            if (owned != null) {
                owned.close();
                owned = null;
            }
        }
    }
}
