package io.iotpm.api;

import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.internal.http.ApiServer;
import io.iotpm.api.observability.Observability;
import io.iotpm.core.Predictor;
import io.iotpm.core.retention.RetentionMetrics;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The iotpm REST API: an embedded Javalin (Jetty 12) server over a {@link StorageBackend}, an
 * optional {@link Predictor} and optional monitoring listeners (the alert manager), with JWT bearer
 * authentication and per-endpoint roles.
 *
 * <pre>{@code
 * try (IotpmServer server = IotpmServer.builder()
 *         .port(5000).storage(store).predictor(lstm)
 *         .users(UserStore.fromEnv()).jwtSecret(secretBytes)
 *         .build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Nothing listens until {@link #start()}; {@link #close()} stops the server and every thread it
 * started (and the retention task given to the builder, which it starts and closes). The server never
 * closes the storage, predictor or listeners it was given: their owner does.
 * Endpoints are listed in the OpenAPI document served at {@value #OPENAPI_PATH}. {@link #builder()} lists
 * every setting.
 */
public final class IotpmServer implements AutoCloseable {

    /** Where the OpenAPI 3 description of every endpoint is served (no authentication). */
    public static final String OPENAPI_PATH = ApiServer.OPENAPI_PATH;
    /** Class-path folder whose files are served at {@code /} (the web dashboard), when it exists. */
    public static final String STATIC_RESOURCES = ApiServer.STATIC_RESOURCES;
    /** Default port, as in the original system ({@code API_PORT}). */
    public static final int DEFAULT_PORT = 5000;
    /** Default lifetime of an access token. */
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    /** Default lifetime of a refresh token. */
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofHours(8);
    /** Default request body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    /** Default number of failed logins per user and address within {@link #DEFAULT_LOGIN_WINDOW}. */
    public static final int DEFAULT_LOGIN_FAILURES = 5;
    /** Default window of the login throttle. */
    public static final Duration DEFAULT_LOGIN_WINDOW = Duration.ofMinutes(1);
    /** Default upper bound of the {@code limit} query parameter. */
    public static final int DEFAULT_MAX_PAGE_SIZE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(IotpmServer.class);

    private final ServerSettings settings;
    private final ApiServer server;
    private final RetentionTask retention;
    private volatile boolean started;
    private volatile boolean closed;

    IotpmServer(ServerSettings settings, Observability observability, RetentionTask retention) {
        this.settings = settings;
        this.server = new ApiServer(settings, observability);
        this.retention = retention;
    }

    /** @return a builder; {@link IotpmServerBuilder#storage(StorageBackend)} is required */
    public static IotpmServerBuilder builder() {
        return new IotpmServerBuilder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws IllegalStateException if already started or closed, or the port cannot be bound
     */
    public synchronized IotpmServer start() {
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        if (started) {
            throw new IllegalStateException("server is already started");
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start the API server on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        started = true;
        if (retention != null) {
            retention.start();
        }
        LOG.info("iotpm API listening on {}", url());
        return this;
    }

    /**
     * @return the bound port (the real one when built with port 0)
     * @throws IllegalStateException if not started
     */
    public int port() {
        if (!started) {
            throw new IllegalStateException("server is not started");
        }
        return server.port();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:5000} */
    public String url() {
        String host = settings.host();
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (host.equals("0.0.0.0")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port();
    }

    /**
     * @return the bound management port ({@code /metrics} and the health probes without a token), or -1 when
     *         it is off (the default; see {@link Observability})
     * @throws IllegalStateException if not started
     */
    public int managementPort() {
        if (!started) {
            throw new IllegalStateException("server is not started");
        }
        return server.managementPort();
    }

    /** @return the retention task's counters, or {@code null} without one */
    public RetentionMetrics retentionMetrics() {
        return retention == null ? null : retention.metrics();
    }

    /** @return whether the server runs in demo mode (generated secret, demo users) */
    public boolean demoMode() {
        return settings.demoMode();
    }

    /** @return every registered route as {@code "METHOD /path"}, for the OpenAPI consistency test */
    List<String> routes() {
        return server.routes();
    }

    /** @return how many live-stream clients are connected */
    int liveClients() {
        return server.liveClients();
    }

    /** Stops serving, ends live streams and stops every thread this server started. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (retention != null) {
            retention.close();
        }
        server.stop();
    }
}
