package io.iotpm.api.internal.http;

import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.observability.Observability;
import io.javalin.Javalin;
import io.javalin.http.util.AsyncExecutor;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Javalin application behind {@code IotpmServer}: the app with its routes, the HTTP and async
 * thread pools and the state the handlers share. Not API; {@code IotpmServer} adds the lifecycle checks.
 */
public final class ApiServer {

    /** Where the OpenAPI 3 description of every endpoint is served (no authentication). */
    public static final String OPENAPI_PATH = "/api/openapi.json";
    /** Class-path folder whose files are served at {@code /} (the web dashboard), when it exists. */
    public static final String STATIC_RESOURCES = "/io/iotpm/api/dashboard";
    /** Name of the server's logger, which hosts configure: the one of {@code IotpmServer}. */
    static final String LOGGER = "io.iotpm.api.IotpmServer";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final ServerSettings settings;
    private final ApiContext api;
    private final Javalin app;
    private final ExecutorService asyncExecutor;
    private final Observability obs;
    private final Metrics metrics;
    private final Readiness readiness;
    private volatile ManagementServer management;

    /** @param settings the validated settings; nothing listens until {@link #start()} */
    public ApiServer(ServerSettings settings) {
        this(settings, Observability.defaults());
    }

    /**
     * @param settings the validated settings; nothing listens until {@link #start()}
     * @param obs      metrics and readiness settings
     */
    public ApiServer(ServerSettings settings, Observability obs) {
        this.settings = settings;
        this.obs = obs;
        this.api = new ApiContext(settings);
        this.asyncExecutor = Executors.newCachedThreadPool(named("iotpm-api-async"));
        this.metrics = new Metrics(settings, obs);
        this.readiness = new Readiness(api, obs, asyncExecutor);
        this.api.health = new HealthHandlers(readiness, metrics);
        this.app = Javalin.create(config -> ServerSetup.configure(config, settings, api, asyncExecutor));
        this.api.routes = this::routes;
        addHeadRoutes();
    }

    /**
     * HEAD answers like GET (same roles, same status, no body; Jetty drops the body of a HEAD response).
     * Javalin adds no HEAD endpoint of its own, and a HEAD request matching none would meet the
     * fail-closed "no access rule" check.
     */
    private void addHeadRoutes() {
        InternalRouter router = app.unsafe.internalRouter;
        for (ParsedEndpoint e : List.copyOf(router.allHttpHandlers())) {
            if (e.endpoint.method == HandlerType.GET && !router.hasHttpHandlerEntry(HandlerType.HEAD, e.endpoint.path)) {
                Endpoint head = new Endpoint(HandlerType.HEAD, e.endpoint.path, e.endpoint.handler);
                Roles roles = e.endpoint.metadata(Roles.class);
                router.addHttpEndpoint(roles == null ? head : head.withMetadata(roles));
            }
        }
    }

    /** Binds the meters, subscribes the live stream to its sources, binds the port (and the management port). */
    public void start() {
        metrics.bind();
        api.subscribe();
        app.start(settings.host(), settings.port());
        if (obs.managementPort() >= 0) {
            try {
                management = new ManagementServer(obs.managementHost(), obs.managementPort(), readiness, metrics);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the management port " + obs.managementHost() + ":"
                        + obs.managementPort(), e);
            }
            management.start();
        }
    }

    /** @return the bound management port, or -1 when it is off */
    public int managementPort() {
        ManagementServer m = management;
        return m == null ? -1 : m.port();
    }

    /** @return the bound port */
    public int port() {
        return app.port();
    }

    /** @return every registered route as {@code "METHOD /path"} */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        for (ParsedEndpoint e : app.unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name();
            if (e.endpoint.method.isHttpMethod() && e.endpoint.method != HandlerType.HEAD) {
                out.add(method + " " + e.endpoint.path);
            }
        }
        return out;
    }

    /** @return how many live-stream clients are connected */
    public int liveClients() {
        return api.live.clientCount();
    }

    /** Ends live streams and jobs, stops the app and every thread it started. Call once. */
    public void stop() {
        if (management != null) {
            management.close();
        }
        api.close();
        try {
            app.stop();
        } finally {
            metrics.close();
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
}
