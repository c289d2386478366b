package io.iotpm.api;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.DriftRules;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.api.auth.UserStore;
import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.observability.Observability;
import io.iotpm.api.internal.auth.DemoUsers;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.api.training.ModelTrainer;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.stream.StreamHub;
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

/**
 * Configures an {@link IotpmServer}. Setters validate their argument; {@link #build()} checks the
 * combination (a secret and users are required unless {@link #demoMode(boolean) demo mode}) and
 * never changes the builder, so it can be reused.
 */
public final class IotpmServerBuilder {

    /** The server's logger: the demo-mode warning belongs to the server's log. */
    private static final Logger LOG = LoggerFactory.getLogger(IotpmServer.class);

    private String host = "127.0.0.1";
    private int port = IotpmServer.DEFAULT_PORT;
    private StorageBackend storage;
    private Predictor predictor;
    private SensorSchema schema;
    private final List<MonitoringListener> listeners = new ArrayList<>();
    private UserStore users;
    private byte[] secret;
    private boolean demoMode;
    private Clock clock = Clock.systemUTC();
    private Duration accessTtl = IotpmServer.DEFAULT_ACCESS_TOKEN_TTL;
    private Duration refreshTtl = IotpmServer.DEFAULT_REFRESH_TOKEN_TTL;
    private long maxBodyBytes = IotpmServer.DEFAULT_MAX_BODY_BYTES;
    private int loginFailures = IotpmServer.DEFAULT_LOGIN_FAILURES;
    private Duration loginWindow = IotpmServer.DEFAULT_LOGIN_WINDOW;
    private final List<String> corsOrigins = new ArrayList<>();
    private int maxPageSize = IotpmServer.DEFAULT_MAX_PAGE_SIZE;
    private int maxThreads = 200;
    private int maxStreamClients = 64;
    private StreamHub hub;
    private boolean ingestToHub;
    private AlertManager alerts;
    private DriftMonitor drift;
    private ModelTrainer trainer;
    private String storageUri;
    private Duration retention;
    private Observability observability = Observability.defaults();
    private RetentionTask retentionTask;

    IotpmServerBuilder() {
    }

    /**
     * Takes {@code API_HOST}, {@code API_PORT} (or {@code PORT}) and, when set, {@code SECRET_KEY} from
     * the configuration. Later setters override.
     *
     * @param config the effective configuration
     */
    public IotpmServerBuilder config(IotpmConfig config) {
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
    public IotpmServerBuilder host(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host;
        return this;
    }

    /** @param port TCP port, 0 for an ephemeral one; default {@value IotpmServer#DEFAULT_PORT} */
    public IotpmServerBuilder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
        }
        this.port = port;
        return this;
    }

    /** @param storage where readings are read from and ingested into (required; not closed by the server) */
    public IotpmServerBuilder storage(StorageBackend storage) {
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
    public IotpmServerBuilder storageUri(String uri) {
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
    public IotpmServerBuilder retention(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be > 0, but was " + retention);
        }
        this.retention = retention;
        return this;
    }

    /**
     * @param task removes old readings, events and alert history on its schedule (e.g.
     *             {@code RetentionTask.fromConfig(config, storage).build()}); the server starts it in
     *             {@code start()} and closes it in {@code close()}. Default none.
     */
    public IotpmServerBuilder retentionTask(RetentionTask task) {
        this.retentionTask = Objects.requireNonNull(task, "task");
        return this;
    }

    /**
     * @param predictor answers {@code /api/predict}; without one those endpoints answer 503. Its schema
     *                  becomes the server's unless {@link #schema(SensorSchema)} is set.
     */
    public IotpmServerBuilder predictor(Predictor predictor) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        return this;
    }

    /** @param schema the channels ingested readings must have; default the predictor's or {@link SensorSchema#industrialMotor()} */
    public IotpmServerBuilder schema(SensorSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * @param listener told of every ingested reading and every prediction the API makes (e.g. the
     *                 alert manager); called on the request thread, so it must return quickly
     */
    public IotpmServerBuilder listener(MonitoringListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * @param hub the live stream's source: the server subscribes to its readings, predictions and alerts
     *            topics (dropping the oldest when SSE clients lag, never blocking publishers) and forwards
     *            them to {@code /api/stream}. Not closed by the server.
     */
    public IotpmServerBuilder hub(StreamHub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
        return this;
    }

    /**
     * Ingest mode. Off (default): {@code POST /api/readings} stores the readings, tells the listeners and
     * answers 201 once they are stored. On: it publishes them to the {@link #hub(StreamHub) hub} and answers
     * 202; a {@code MonitoringPipeline} on that hub stores them and runs the listeners. Requires a hub.
     */
    public IotpmServerBuilder ingestToHub(boolean ingestToHub) {
        this.ingestToHub = ingestToHub;
        return this;
    }

    /**
     * @param alerts serves {@code /api/alerts} and {@code /api/rules}; also becomes a
     *               {@link #listener(MonitoringListener) listener}, so readings ingested and predictions made
     *               through the API are evaluated, and its raised alerts feed the live stream. Acknowledgements,
     *               resolutions, silences and {@code POST/DELETE /api/rules} go through it, so they are as durable as
     *               its {@link io.iotpm.alerts.store.AlertStore} ({@code AlertManagerBuilder.store}; a store that
     *               refuses a change answers 503), and rules added through the API are built on its schema.
     *               {@code GET /api/storage} names the store. Not closed by the server.
     */
    public IotpmServerBuilder alerts(AlertManager alerts) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        if (!listeners.contains(alerts)) {
            listeners.add(alerts);
        }
        return this;
    }

    /**
     * @param drift serves {@code GET /api/drift} (viewer): the monitor's per-channel PSI per device group, which
     *              the dashboard's model page draws. It also becomes the first {@link #listener(MonitoringListener)
     *              listener}, so readings ingested through the API feed it before the alert manager sees them;
     *              with {@link #alerts(AlertManager) alerts} set, {@link #build()} adds the default
     *              {@link DriftRules} ({@code drift.<channel>}) the manager lacks. Feed it from the host's pipeline
     *              too ({@code MonitoringPipeline.builder().listener(drift)}) when readings arrive another way.
     */
    public IotpmServerBuilder drift(DriftMonitor drift) {
        this.drift = Objects.requireNonNull(drift, "drift");
        if (!listeners.contains(drift)) {
            listeners.add(0, drift);
        }
        return this;
    }

    /**
     * @param trainer runs {@code POST /api/model/train} jobs (admin only); a successful job's predictor replaces
     *                the current one. Without a trainer that endpoint answers 503.
     */
    public IotpmServerBuilder trainer(ModelTrainer trainer) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        return this;
    }

    /** @param users who may log in; required unless in demo mode */
    public IotpmServerBuilder users(UserStore users) {
        this.users = Objects.requireNonNull(users, "users");
        return this;
    }

    /**
     * @param secret HMAC-SHA256 key for tokens, at least 32 bytes (copied); required unless in demo mode
     * @throws IllegalArgumentException if shorter than 32 bytes
     */
    public IotpmServerBuilder jwtSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < TokenService.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + TokenService.MIN_SECRET_BYTES
                    + " bytes, but was " + secret.length + " bytes");
        }
        this.secret = secret.clone();
        return this;
    }

    /** @param secret the secret as text (UTF-8), at least 32 bytes; see {@link #jwtSecret(byte[])} */
    public IotpmServerBuilder jwtSecret(String secret) {
        return jwtSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Demo mode: a missing secret is generated at random (tokens die with the server), and when no
     * users are set, demo users {@code admin}/{@code password123}, {@code operator}/{@code operator123}
     * and {@code viewer}/{@code viewer123} are created. Logs a loud warning. Only allowed on a
     * loopback host. Default off.
     */
    public IotpmServerBuilder demoMode(boolean demoMode) {
        this.demoMode = demoMode;
        return this;
    }

    /** @param clock time source for token expiry and throttling; default the system UTC clock */
    public IotpmServerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** @param ttl access token lifetime, 1 s to 24 h; default 15 minutes */
    public IotpmServerBuilder accessTokenTtl(Duration ttl) {
        this.accessTtl = requireBetween("access token TTL", ttl, Duration.ofSeconds(1), Duration.ofHours(24));
        return this;
    }

    /** @param ttl refresh token lifetime, 1 minute to 30 days; default 8 hours */
    public IotpmServerBuilder refreshTokenTtl(Duration ttl) {
        this.refreshTtl = requireBetween("refresh token TTL", ttl, Duration.ofMinutes(1), Duration.ofDays(30));
        return this;
    }

    /** @param bytes largest accepted request body; larger ones get HTTP 413. Default 1 MiB. */
    public IotpmServerBuilder maxBodyBytes(long bytes) {
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
    public IotpmServerBuilder loginThrottle(int maxFailures, Duration window) {
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
    public IotpmServerBuilder corsOrigins(String... origins) {
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
    public IotpmServerBuilder maxPageSize(int max) {
        if (max < 1 || max > 1_000_000) {
            throw new IllegalArgumentException("maxPageSize must be in [1, 1000000], but was " + max);
        }
        this.maxPageSize = max;
        return this;
    }

    /** @param max most HTTP worker threads; default 200 */
    public IotpmServerBuilder maxThreads(int max) {
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
    public IotpmServerBuilder maxStreamClients(int max) {
        if (max < 0 || max > 5_000) {
            throw new IllegalArgumentException("maxStreamClients must be in [0, 5000], but was " + max);
        }
        this.maxStreamClients = max;
        return this;
    }

    /**
     * Sets how the server exposes metrics and readiness: {@code GET /metrics} for admins on the API port, an
     * optional management port without a token, extra binders and readiness checks.
     *
     * @param observability the settings; default {@link Observability#defaults()} (no management port)
     * @return this builder
     */
    public IotpmServerBuilder observability(Observability observability) {
        this.observability = Objects.requireNonNull(observability, "observability");
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
        if (alerts != null && drift != null) {
            // Rules already there (the host's own, or a previous build()) are kept as they are.
            java.util.Set<String> present = new java.util.HashSet<>();
            alerts.rules().forEach(r -> present.add(r.name()));
            DriftRules.of(drift).stream().filter(r -> !present.contains(r.name())).forEach(alerts::addRule);
        }
        return new IotpmServer(new ServerSettings(host, port, storage, predictor, s, listeners, u, key, demoMode, clock,
                accessTtl, refreshTtl, maxBodyBytes, loginFailures, loginWindow, corsOrigins, maxPageSize, maxThreads,
                maxStreamClients, hub, ingestToHub, alerts, trainer, storageUri, retention, drift), observability, retentionTask);
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
