package io.iotpm.api.internal.http;

import io.iotpm.api.observability.HealthCheck;
import io.iotpm.api.observability.Observability;
import io.iotpm.core.Predictor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the readiness checks (the built-in storage, hub and model ones, then the host's) concurrently, each with
 * the time limit, and reports them. The server is ready when every critical check is up.
 */
final class Readiness {

    /** A device id no reading can have been stored under by accident; reading it probes the storage cheaply. */
    static final String PROBE_DEVICE = "iotpm-readiness-probe";

    private final ApiContext api;
    private final Observability obs;
    private final ExecutorService executor;

    Readiness(ApiContext api, Observability obs, ExecutorService executor) {
        this.api = api;
        this.obs = obs;
        this.executor = executor;
    }

    /**
     * One check in the report.
     *
     * @param status   {@code UP} or {@code DOWN}
     * @param critical whether it decides readiness
     * @param detail   what it found
     * @param millis   how long it took
     */
    record CheckView(String status, boolean critical, String detail, long millis) {
    }

    /**
     * @param status {@code UP} when every critical check is up, else {@code DOWN}
     * @param checks every check by name
     */
    record Report(String status, Map<String, CheckView> checks) {

        boolean up() {
            return status.equals("UP");
        }
    }

    Report run() {
        Map<String, Observability.Check> all = new LinkedHashMap<>();
        all.put("storage", new Observability.Check(this::storage, true));
        if (api.settings.hub() != null) {
            all.put("hub", new Observability.Check(() -> api.settings.hub().isClosed()
                    ? HealthCheck.Result.down("stream hub is closed") : HealthCheck.Result.up("open"), true));
        }
        all.put("model", new Observability.Check(this::model, obs.requireModel()));
        all.putAll(obs.checks());

        Map<String, CompletableFuture<CheckView>> running = new LinkedHashMap<>();
        all.forEach((name, c) -> running.put(name, CompletableFuture.supplyAsync(() -> timed(c), executor)));
        Map<String, CheckView> out = new LinkedHashMap<>();
        boolean up = true;
        long limit = obs.checkTimeout().toNanos();
        long deadline = System.nanoTime() + limit;
        for (Map.Entry<String, CompletableFuture<CheckView>> e : running.entrySet()) {
            boolean critical = all.get(e.getKey()).critical();
            CheckView v;
            try {
                v = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException t) {
                e.getValue().cancel(true);
                v = new CheckView("DOWN", critical, "no answer within " + obs.checkTimeout().toMillis() + " ms",
                        obs.checkTimeout().toMillis());
            } catch (InterruptedException i) {
                Thread.currentThread().interrupt();
                v = new CheckView("DOWN", critical, "interrupted", 0);
            } catch (ExecutionException x) {
                v = new CheckView("DOWN", critical, String.valueOf(x.getCause()), 0);
            }
            up &= !critical || v.status().equals("UP");
            out.put(e.getKey(), v);
        }
        return new Report(up ? "UP" : "DOWN", out);
    }

    private static CheckView timed(Observability.Check c) {
        long start = System.nanoTime();
        HealthCheck.Result r;
        try {
            r = c.check().check();
            if (r == null) {
                r = HealthCheck.Result.down("check returned no result");
            }
        } catch (Exception e) {
            r = HealthCheck.Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new CheckView(r.up() ? "UP" : "DOWN", c.critical(), r.detail(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private HealthCheck.Result storage() {
        api.settings.storage().latest(PROBE_DEVICE, 1);
        return HealthCheck.Result.up(api.settings.storage().getClass().getSimpleName() + " answers");
    }

    private HealthCheck.Result model() {
        Predictor p = api.predictor();
        return p == null ? HealthCheck.Result.down("no model loaded; predictions answer 503")
                : HealthCheck.Result.up(p.getClass().getSimpleName() + " loaded, window " + p.sequenceLength());
    }
}
