package io.iotpm.api.internal.http;

import io.iotpm.api.internal.ServerSettings;
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

    /** @param settings the validated settings; nothing listens until {@link #start()} */
    public ApiServer(ServerSettings settings) {
        this.settings = settings;
        this.api = new ApiContext(settings);
        this.asyncExecutor = Executors.newCachedThreadPool(named("iotpm-api-async"));
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

    /** Subscribes the live stream to its sources and binds the port. */
    public void start() {
        api.subscribe();
        app.start(settings.host(), settings.port());
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
}
