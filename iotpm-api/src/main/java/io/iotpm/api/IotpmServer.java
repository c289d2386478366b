package io.iotpm.api;

import io.iotpm.alerts.AlertManager;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.javalin.Javalin;
import io.javalin.http.util.AsyncExecutor;
import io.javalin.router.ParsedEndpoint;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * started. The server never closes the storage, predictor or listeners it was given: their owner does.
 * Endpoints are listed in the OpenAPI document served at {@value #OPENAPI_PATH}.
 */
public final class IotpmServer implements AutoCloseable {

    /** Where the OpenAPI 3 description of every endpoint is served (no authentication). */
    public static final String OPENAPI_PATH = "/api/openapi.json";
    /** Class-path folder whose files are served at {@code /} (the web dashboard), when it exists. */
    public static final String STATIC_RESOURCES = "/io/iotpm/api/dashboard";
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

    private final Settings settings;
    private final ApiContext api;
    private final Javalin app;
    private final ExecutorService asyncExecutor;
    private volatile boolean started;
    private volatile boolean closed;

    private IotpmServer(Settings settings) {
        this.settings = settings;
        this.api = new ApiContext(settings);
        this.asyncExecutor = Executors.newCachedThreadPool(named("iotpm-api-async"));
        this.app = Javalin.create(config -> ServerSetup.configure(config, settings, api, asyncExecutor));
        this.api.routes = this::routes;
    }

    /** @return a builder; {@link Builder#storage(StorageBackend)} is required */
    public static Builder builder() {
        return new Builder();
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
            api.subscribe();
            app.start(settings.host, settings.port);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start the API server on " + settings.host + ":" + settings.port
                    + ": " + e.getMessage(), e);
        }
        started = true;
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
        return app.port();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:5000} */
    public String url() {
        String h = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
        if (settings.host.equals("0.0.0.0")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port();
    }

    /** @return whether the server runs in demo mode (generated secret, demo users) */
    public boolean demoMode() {
        return settings.demoMode;
    }

    /** @return every registered route as {@code "METHOD /path"}, for the OpenAPI consistency test */
    List<String> routes() {
        List<String> out = new ArrayList<>();
        for (ParsedEndpoint e : app.unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name();
            if (e.endpoint.method.isHttpMethod()) {
                out.add(method + " " + e.endpoint.path);
            }
        }
        return out;
    }

    /** @return how many live-stream clients are connected */
    int liveClients() {
        return api.live.clientCount();
    }

    /** Stops serving, ends live streams and stops every thread this server started. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.close();
        try {
            app.stop();
        } finally {
            asyncExecutor.shutdownNow();
            try {
                if (!asyncExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("iotpm API async threads did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static QueuedThreadPool httpThreadPool(int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads), 60_000);
        pool.setName("iotpm-api-http");
        pool.setDaemon(true);
        return pool;
    }

    static AsyncExecutor asyncExecutor(ExecutorService executor) {
        return new AsyncExecutor(executor);
    }

    /** Immutable settings taken from the builder. */
    static final class Settings {
        final String host;
        final int port;
        final StorageBackend storage;
        final Predictor predictor;
        final SensorSchema schema;
        final List<MonitoringListener> listeners;
        final UserStore users;
        final byte[] secret;
        final boolean demoMode;
        final Clock clock;
        final Duration accessTtl;
        final Duration refreshTtl;
        final long maxBodyBytes;
        final int loginFailures;
        final Duration loginWindow;
        final List<String> corsOrigins;
        final int maxPageSize;
        final int maxThreads;
        final int maxStreamClients;
        final StreamHub hub;
        final boolean ingestToHub;
        final AlertManager alerts;
        final ModelTrainer trainer;
        final String storageUri;
        final Duration retention;

        private Settings(Builder b, UserStore users, byte[] secret, SensorSchema schema) {
            this.host = b.host;
            this.port = b.port;
            this.storage = b.storage;
            this.predictor = b.predictor;
            this.schema = schema;
            this.listeners = List.copyOf(b.listeners);
            this.users = users;
            this.secret = secret;
            this.demoMode = b.demoMode;
            this.clock = b.clock;
            this.accessTtl = b.accessTtl;
            this.refreshTtl = b.refreshTtl;
            this.maxBodyBytes = b.maxBodyBytes;
            this.loginFailures = b.loginFailures;
            this.loginWindow = b.loginWindow;
            this.corsOrigins = List.copyOf(b.corsOrigins);
            this.maxPageSize = b.maxPageSize;
            this.maxThreads = b.maxThreads;
            this.maxStreamClients = b.maxStreamClients;
            this.hub = b.hub;
            this.ingestToHub = b.ingestToHub;
            this.alerts = b.alerts;
            this.trainer = b.trainer;
            this.storageUri = b.storageUri;
            this.retention = b.retention;
        }
    }

    /**
     * Configures an {@link IotpmServer}. Setters validate their argument; {@link #build()} checks the
     * combination (a secret and users are required unless {@link #demoMode(boolean) demo mode}) and
     * never changes the builder, so it can be reused.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private StorageBackend storage;
        private Predictor predictor;
        private SensorSchema schema;
        private final List<MonitoringListener> listeners = new ArrayList<>();
        private UserStore users;
        private byte[] secret;
        private boolean demoMode;
        private Clock clock = Clock.systemUTC();
        private Duration accessTtl = DEFAULT_ACCESS_TOKEN_TTL;
        private Duration refreshTtl = DEFAULT_REFRESH_TOKEN_TTL;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int loginFailures = DEFAULT_LOGIN_FAILURES;
        private Duration loginWindow = DEFAULT_LOGIN_WINDOW;
        private final List<String> corsOrigins = new ArrayList<>();
        private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
        private int maxThreads = 200;
        private int maxStreamClients = 64;
        private StreamHub hub;
        private boolean ingestToHub;
        private AlertManager alerts;
        private ModelTrainer trainer;
        private String storageUri;
        private Duration retention;

        private Builder() {
        }

        /**
         * Takes {@code API_HOST}, {@code API_PORT} (or {@code PORT}) and, when set, {@code SECRET_KEY} from
         * the configuration. Later setters override.
         *
         * @param config the effective configuration
         */
        public Builder config(IotpmConfig config) {
            Objects.requireNonNull(config, "config");
            host(config.get(IotpmConfig.API_HOST));
            port(config.apiPort());
            String key = config.secretKey();
            if (key != null) {
                jwtSecret(key);
            }
            return this;
        }

        /**
         * @param host address to bind; default {@code 127.0.0.1} (loopback only). Use {@code 0.0.0.0} to
         *             listen on every interface.
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** @param port TCP port, 0 for an ephemeral one; default {@value IotpmServer#DEFAULT_PORT} */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
            }
            this.port = port;
            return this;
        }

        /** @param storage where readings are read from and ingested into (required; not closed by the server) */
        public Builder storage(StorageBackend storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Describes the storage for {@code GET /api/storage}: the URI it was opened from. The server shows
         * it with credentials removed (user info before {@code @}, and the values of options whose name
         * contains {@code password}, {@code secret}, {@code token}, {@code key} or {@code credential}).
         * Optional: without it the endpoint names the storage's class only.
         *
         * @param uri the storage URI, e.g. {@code sqlite:data/iot.db}
         * @throws IllegalArgumentException if it is not a storage URI ({@code scheme:path?options})
         */
        public Builder storageUri(String uri) {
            StorageLocation.parse(Objects.requireNonNull(uri, "storageUri"));
            this.storageUri = uri;
            return this;
        }

        /**
         * Tells {@code GET /api/storage} how long the host keeps readings (the host applies it, e.g. with
         * {@link StorageBackend#retain(Duration)} on a schedule; the server deletes nothing itself).
         *
         * @param retention positive age after which readings are deleted
         * @throws IllegalArgumentException if not positive
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isZero() || retention.isNegative()) {
                throw new IllegalArgumentException("retention must be > 0, but was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * @param predictor answers {@code /api/predict}; without one those endpoints answer 503. Its schema
         *                  becomes the server's unless {@link #schema(SensorSchema)} is set.
         */
        public Builder predictor(Predictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** @param schema the channels ingested readings must have; default the predictor's or {@link SensorSchema#industrialMotor()} */
        public Builder schema(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * @param listener told of every ingested reading and every prediction the API makes (e.g. the
         *                 alert manager); called on the request thread, so it must return quickly
         */
        public Builder listener(MonitoringListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param hub the live stream's source: the server subscribes to its readings, predictions and alerts
         *            topics (dropping the oldest when SSE clients lag, never blocking publishers) and forwards
         *            them to {@code /api/stream}. Not closed by the server.
         */
        public Builder hub(StreamHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        /**
         * Ingest mode. Off (default): {@code POST /api/readings} stores the readings, tells the listeners and
         * answers 201 once they are stored. On: it publishes them to the {@link #hub(StreamHub) hub} and answers
         * 202; a {@code MonitoringPipeline} on that hub stores them and runs the listeners. Requires a hub.
         */
        public Builder ingestToHub(boolean ingestToHub) {
            this.ingestToHub = ingestToHub;
            return this;
        }

        /**
         * @param alerts serves {@code /api/alerts} and {@code /api/rules}; also becomes a
         *               {@link #listener(MonitoringListener) listener}, so readings ingested and predictions made
         *               through the API are evaluated, and its raised alerts feed the live stream. Not closed by
         *               the server.
         */
        public Builder alerts(AlertManager alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            if (!listeners.contains(alerts)) {
                listeners.add(alerts);
            }
            return this;
        }

        /**
         * @param trainer runs {@code POST /api/model/train} jobs (admin only); a successful job's predictor replaces
         *                the current one. Without a trainer that endpoint answers 503.
         */
        public Builder trainer(ModelTrainer trainer) {
            this.trainer = Objects.requireNonNull(trainer, "trainer");
            return this;
        }

        /** @param users who may log in; required unless in demo mode */
        public Builder users(UserStore users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * @param secret HMAC-SHA256 key for tokens, at least 32 bytes (copied); required unless in demo mode
         * @throws IllegalArgumentException if shorter than 32 bytes
         */
        public Builder jwtSecret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < TokenService.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("JWT secret must be at least " + TokenService.MIN_SECRET_BYTES
                        + " bytes, but was " + secret.length + " bytes");
            }
            this.secret = secret.clone();
            return this;
        }

        /** @param secret the secret as text (UTF-8), at least 32 bytes; see {@link #jwtSecret(byte[])} */
        public Builder jwtSecret(String secret) {
            return jwtSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Demo mode: a missing secret is generated at random (tokens die with the server), and when no
         * users are set, demo users {@code admin}/{@code password123}, {@code operator}/{@code operator123}
         * and {@code viewer}/{@code viewer123} are created. Logs a loud warning. Only allowed on a
         * loopback host. Default off.
         */
        public Builder demoMode(boolean demoMode) {
            this.demoMode = demoMode;
            return this;
        }

        /** @param clock time source for token expiry and throttling; default the system UTC clock */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param ttl access token lifetime, 1 s to 24 h; default 15 minutes */
        public Builder accessTokenTtl(Duration ttl) {
            this.accessTtl = requireBetween("access token TTL", ttl, Duration.ofSeconds(1), Duration.ofHours(24));
            return this;
        }

        /** @param ttl refresh token lifetime, 1 minute to 30 days; default 8 hours */
        public Builder refreshTokenTtl(Duration ttl) {
            this.refreshTtl = requireBetween("refresh token TTL", ttl, Duration.ofMinutes(1), Duration.ofDays(30));
            return this;
        }

        /** @param bytes largest accepted request body; larger ones get HTTP 413. Default 1 MiB. */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1024 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("maxBodyBytes must be in [1024, 2^30], but was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * @param maxFailures failed logins allowed per (username, client address) within {@code window}
         *                    before further attempts get HTTP 429; default 5 per minute
         * @param window      the sliding window
         */
        public Builder loginThrottle(int maxFailures, Duration window) {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be >= 1, but was " + maxFailures);
            }
            this.loginWindow = requireBetween("login window", window, Duration.ofSeconds(1), Duration.ofDays(1));
            this.loginFailures = maxFailures;
            return this;
        }

        /**
         * Allows cross-origin requests from these origins (e.g. {@code https://ops.example.com}). CORS is off
         * by default: browsers only call the API from pages the server itself serves.
         */
        public Builder corsOrigins(String... origins) {
            for (String o : origins) {
                Objects.requireNonNull(o, "origin");
                if (!o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                    throw new IllegalArgumentException("CORS origin must look like https://host[:port], but was '" + o + "'");
                }
            }
            corsOrigins.addAll(Arrays.asList(origins));
            return this;
        }

        /** @param max largest accepted {@code limit} query parameter; default 10,000 */
        public Builder maxPageSize(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxPageSize must be in [1, 1000000], but was " + max);
            }
            this.maxPageSize = max;
            return this;
        }

        /** @param max most HTTP worker threads; default 200 */
        public Builder maxThreads(int max) {
            if (max < 8 || max > 10_000) {
                throw new IllegalArgumentException("maxThreads must be in [8, 10000], but was " + max);
            }
            this.maxThreads = max;
            return this;
        }

        /**
         * @param max most concurrent live-stream (SSE) clients; each holds one HTTP worker thread. Default 64,
         *            and at most half of {@link #maxThreads(int)}.
         */
        public Builder maxStreamClients(int max) {
            if (max < 0 || max > 5_000) {
                throw new IllegalArgumentException("maxStreamClients must be in [0, 5000], but was " + max);
            }
            this.maxStreamClients = max;
            return this;
        }

        /**
         * @return the server, not yet listening
         * @throws IllegalStateException if storage is missing, or the secret or users are missing outside
         *                               demo mode, or demo mode is asked for on a non-loopback host
         */
        public IotpmServer build() {
            if (storage == null) {
                throw new IllegalStateException("storage is required");
            }
            if (ingestToHub && hub == null) {
                throw new IllegalStateException("ingestToHub(true) needs a hub(StreamHub)");
            }
            if (maxStreamClients > maxThreads / 2) {
                throw new IllegalStateException("maxStreamClients (" + maxStreamClients + ") must be at most half of"
                        + " maxThreads (" + maxThreads + "): each stream client holds a worker thread");
            }
            if (predictor != null && schema != null && !predictor.schema().equals(schema)) {
                throw new IllegalStateException("schema '" + schema.name() + "' differs from the predictor's schema '"
                        + predictor.schema().name() + "'");
            }
            SensorSchema s = schema != null ? schema
                    : predictor != null ? predictor.schema() : SensorSchema.industrialMotor();
            byte[] key = secret;
            UserStore u = users;
            if (demoMode) {
                if (!isLoopback(host)) {
                    throw new IllegalStateException("demo mode has well-known passwords and only binds to a loopback"
                            + " address, but host is '" + host + "'");
                }
                LOG.warn("*******************************************************************************");
                LOG.warn("* iotpm API in DEMO MODE: {}", key == null ? "random JWT secret," : "configured JWT secret,");
                LOG.warn("* {}. NEVER use demo mode in production.",
                        u == null ? "demo users admin/password123, operator/operator123, viewer/viewer123"
                                : "configured users");
                LOG.warn("*******************************************************************************");
                if (key == null) {
                    key = new byte[32];
                    new SecureRandom().nextBytes(key);
                }
                if (u == null) {
                    u = DemoUsers.create();
                }
            } else {
                if (key == null) {
                    throw new IllegalStateException("a JWT secret of at least " + TokenService.MIN_SECRET_BYTES
                            + " bytes is required (jwtSecret), unless demoMode(true)");
                }
                if (u == null) {
                    throw new IllegalStateException("users are required (users(UserStore)), unless demoMode(true)");
                }
            }
            if (corsOrigins.isEmpty()) {
                LOG.debug("CORS disabled");
            }
            return new IotpmServer(new Settings(this, u, key.clone(), s));
        }

        private static boolean isLoopback(String host) {
            if (host.equals("localhost")) {
                return true;
            }
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static Duration requireBetween(String what, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", but was " + d);
            }
            return d;
        }
    }
}
