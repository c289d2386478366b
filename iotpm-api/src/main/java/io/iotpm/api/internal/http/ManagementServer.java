package io.iotpm.api.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.iotpm.api.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The management port: {@code /metrics}, {@code /api/health/live} and {@code /api/health/ready} without a token,
 * for a Prometheus server and an orchestrator's probes, on the JDK's own HTTP server (two threads: these are
 * a few requests a minute, and a busy API port must not starve them). GET only; anything else is 404/405.
 */
final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);

    private final HttpServer server;
    private final ExecutorService executor;

    ManagementServer(String host, int port, Readiness readiness, Metrics metrics) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        this.executor = Executors.newFixedThreadPool(2, ApiServer.named("iotpm-management"));
        server.setExecutor(executor);
        server.createContext("/", ex -> handle(ex, readiness, metrics));
    }

    void start() {
        server.start();
        LOG.info("iotpm management port on {}", server.getAddress());
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex, Readiness readiness, Metrics metrics) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            boolean known = path.equals(HealthHandlers.METRICS) || path.equals(HealthHandlers.LIVE)
                    || path.equals(HealthHandlers.READY);
            if (!known) {
                send(ex, 404, "application/json", error("not_found", "no such endpoint: " + path));
            } else if (!ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().add("Allow", "GET");
                send(ex, 405, "application/json", error("method_not_allowed", "method " + ex.getRequestMethod()
                        + " is not allowed on " + path));
            } else if (path.equals(HealthHandlers.METRICS)) {
                send(ex, 200, Metrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(HealthHandlers.LIVE)) {
                send(ex, 200, "application/json", HealthHandlers.liveBody());
            } else {
                Readiness.Report r = readiness.run();
                send(ex, r.up() ? 200 : 503, "application/json", Json.write(r));
            }
        } catch (RuntimeException e) {
            LOG.warn("management port: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            send(ex, 500, "application/json", error("internal_error", "internal server error"));
        } finally {
            ex.close();
        }
    }

    private static byte[] error(String code, String message) {
        return Json.write(Map.of("error", code, "message", message));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("iotpm management threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
