package io.iotpm.api;

import io.iotpm.core.json.ReadingJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/** What the handlers share: settings, the token service, the login throttle and the JSON codec. */
final class ApiContext implements AutoCloseable {

    final IotpmServer.Settings settings;
    final TokenService tokens;
    final LoginThrottle throttle;
    final ReadingJson readingJson;
    final LiveStream live;
    private StreamHandlers stream;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    ApiContext(IotpmServer.Settings settings) {
        this.settings = settings;
        this.tokens = new TokenService(settings.secret, settings.clock, settings.accessTtl, settings.refreshTtl);
        this.throttle = new LoginThrottle(settings.loginFailures, settings.loginWindow, settings.clock);
        this.readingJson = ReadingJson.of(settings.schema);
        this.live = new LiveStream(settings.maxStreamClients);
        onClose(live);
    }

    void register(RoutesConfig routes) {
        new AuthHandlers(this).register(routes);
        new DeviceHandlers(this).register(routes);
        new PredictHandlers(this).register(routes);
        new InfoHandlers(this).register(routes);
        stream = new StreamHandlers(this);
        stream.register(routes);
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

    /** Called after readings were stored; feeds the live stream. */
    void published(List<io.iotpm.core.SensorReading> readings) {
        if (live.hasListeners("readings")) {
            for (io.iotpm.core.SensorReading r : readings) {
                live.publish("readings", r.deviceId(), readingJson.write(r));
            }
        }
    }

    /** Called after predictions were made; feeds the live stream. */
    void publishedPredictions(List<io.iotpm.core.Prediction> predictions) {
        if (live.hasListeners("predictions")) {
            for (io.iotpm.core.Prediction p : predictions) {
                live.publish("predictions", p.deviceId(),
                        new String(Json.write(PredictHandlers.view(p, null)), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(IotpmServer.class).warn("error closing {}", c, e);
            }
        }
    }
}
