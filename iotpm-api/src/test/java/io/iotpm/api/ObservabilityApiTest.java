package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.notify.LogNotifier;
import io.iotpm.api.observability.HealthCheck;
import io.iotpm.api.observability.Observability;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.micrometer.DriftMetrics;
import io.iotpm.micrometer.MonitoringPipelineMetrics;
import io.iotpm.micrometer.RetentionTaskMetrics;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} and the health probes on a server over a real SQLite file, a hub, a pipeline with a predictor
 * and an alert manager, scraped the way Prometheus does (management port, no token) and as an admin.
 */
class ObservabilityApiTest {

    static StorageBackend store;
    static StreamHub hub;
    static AlertManager alerts;
    static MonitoringPipeline pipeline;
    static DriftMonitor drift;
    static RetentionTask retention;
    static IotpmServer server;
    static ApiClient client;
    static final AtomicBoolean brokerUp = new AtomicBoolean(true);
    static final List<SensorReading> READINGS = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("sqlite:" + dir.resolve("metrics.db"));
        hub = StreamHub.inMemory().capacity(1024).build();
        alerts = AlertManager.builder().tickInterval(Duration.ZERO)
                .rule(AlertRule.named("hot").when(r -> r.value("temperature") > 0).priority(Priority.HIGH)
                        .message("{device_id} is warm").build())
                .notifier(new LogNotifier()).build();
        // The drift reference is another pump's history: the scrape shows PSI per channel of the streamed pumps.
        drift = DriftMonitor.builder(DriftReference.fromReadings(SensorSchema.industrialMotor(),
                DeviceApiTest.history("PUMP_003", 3, 200))).window(20).build();
        retention = RetentionTask.builder().target(Retainable.readings(store), Duration.ofDays(36_500)).build();
        pipeline = MonitoringPipeline.builder().hub(hub).storage(store).predictor(new TestPredictor(5))
                .predictEveryReadings(1).listener(alerts).listener(drift).batchTime(Duration.ofMillis(20))
                .predictionDelay(Duration.ofMillis(20)).build().start();
        server = IotpmServer.builder().port(0).storage(store).hub(hub).alerts(alerts).predictor(new TestPredictor(5))
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET)
                .observability(Observability.builder().managementPort(0)
                        .binder(new MonitoringPipelineMetrics(pipeline, "main"))
                        .binder(new DriftMetrics(drift, Tags.empty()))
                        .binder(RetentionTaskMetrics.of(retention))
                        // A probe of the shape iotpm-kafka's and iotpm-mqtt's readiness() return.
                        .check("broker", HealthCheck.of(() -> {
                            if (!brokerUp.get()) {
                                throw new ConnectException("connection refused");
                            }
                            return "connected";
                        }))
                        .build())
                .build().start();
        client = new ApiClient(server);
        READINGS.addAll(DeviceApiTest.history("PUMP_001", 1, 20));
        READINGS.addAll(DeviceApiTest.history("PUMP_002", 2, 20));
        READINGS.forEach(hub::publish);
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.metrics().readingsStored() == READINGS.size()
                && pipeline.metrics().predictions() == READINGS.size() - 8 && drift.readings() == READINGS.size());
    }

    @AfterAll
    static void stop() {
        server.close();
        retention.close();
        pipeline.close();
        alerts.close();
        hub.close();
        store.close();
    }

    static HttpResponse<String> management(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    static PrometheusText.Exposition scrape() throws Exception {
        HttpResponse<String> r = management("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(r.body());
    }

    @Test
    void metrics_onTheManagementPort_parseAsPrometheusText_andCountWhatTheSystemDid() throws Exception {
        PrometheusText.Exposition e = scrape();
        int n = READINGS.size();
        assertThat(e.value("iotpm_pipeline_readings_received_total", Map.of("pipeline", "main"))).isEqualTo(n);
        assertThat(e.value("iotpm_pipeline_readings_total", Map.of("outcome", "stored"))).isEqualTo(n);
        assertThat(e.value("iotpm_pipeline_readings_total", Map.of("outcome", "lost"))).isZero();
        assertThat(e.value("iotpm_pipeline_predictions_total", Map.of())).isEqualTo(n - 8);
        assertThat(e.value("iotpm_storage_batch_readings_total", Map.of())).isEqualTo(n);
        assertThat(e.value("iotpm_storage_writes_seconds_count", Map.of())).isPositive();
        assertThat(e.value("iotpm_storage_writes_seconds_sum", Map.of())).isPositive();
        assertThat(e.value("iotpm_predictor_calls_seconds_count", Map.of())).isPositive();
        assertThat(e.value("iotpm_predictor_model", Map.of("version", "test-rule-1"))).isEqualTo(1);
        assertThat(e.value("iotpm_pipeline_prediction_latency_seconds_count", Map.of())).isPositive();

        String subscriber = pipeline.subscription().name();
        assertThat(e.value("iotpm_hub_messages_total", Map.of("subscriber", subscriber, "outcome", "delivered")))
                .isEqualTo(n);
        assertThat(e.value("iotpm_hub_lag_messages", Map.of("subscriber", subscriber))).isZero();

        assertThat(e.value("iotpm_alerts_fired_total", Map.of("priority", "HIGH"))).isEqualTo(2);
        assertThat(e.value("iotpm_alerts_fired_total", Map.of("priority", "LOW"))).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> scrape().value("iotpm_alerts_notifications_total",
                Map.of("notifier", "log", "outcome", "sent")) == 2);
        assertThat(e.find("iotpm_alerts_notifications_total", Map.of("notifier", "log"))).extracting(s -> s.labels().get("outcome"))
                .containsExactlyInAnyOrder("sent", "failed", "dropped");

        String channel = SensorSchema.industrialMotor().channels().get(0).name();
        assertThat(e.value("iotpm_drift_psi", Map.of("group", DriftMonitor.FLEET, "channel", channel)))
                .isEqualTo(drift.snapshots(DriftMonitor.FLEET).get(0).psi()).isPositive();
        assertThat(e.find("iotpm_drift_psi", Map.of())).hasSize(SensorSchema.industrialMotor().channels().size());
        assertThat(e.value("iotpm_drift_readings_total", Map.of("outcome", "taken"))).isEqualTo(n);
        assertThat(e.value("iotpm_drift_threshold", Map.of())).isEqualTo(DriftMonitor.DEFAULT_THRESHOLD);
        retention.runOnce();
        PrometheusText.Exposition after = scrape();
        assertThat(after.value("iotpm_retention_runs_total", Map.of())).isEqualTo(1);
        assertThat(after.value("iotpm_retention_removed_total", Map.of("target", "readings"))).isZero();
        assertThat(after.value("iotpm_retention_failures_total", Map.of())).isZero();
        assertThat(after.names()).contains("iotpm_retention_last_run_seconds", "iotpm_drift_window_readings",
                "iotpm_drift_drifting");

        assertThat(e.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
        assertThat(e.samples()).as("no device id in any label").allSatisfy(s ->
                assertThat(s.labels().values()).noneMatch(v -> v.startsWith("PUMP_")));
    }

    @Test
    void metrics_onTheApiPort_needAnAdminToken() throws Exception {
        assertThat(client.get("/metrics", null).status()).isEqualTo(401);
        ApiClient.Response viewer = client.get("/metrics", client.login("vera", TestUsers.VIEWER_PW));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.json().get("error").asText()).isEqualTo("forbidden");
        ApiClient.Response admin = client.get("/metrics", client.login("alice", TestUsers.ADMIN_PW));
        assertThat(admin.status()).isEqualTo(200);
        assertThat(PrometheusText.parse(admin.body()).names()).contains("iotpm_pipeline_readings_received_total");
    }

    @Test
    void managementPort_answersOnlyItsThreeGetEndpoints() throws Exception {
        HttpResponse<String> other = management("/api/devices");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("\"error\":\"not_found\"");
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort()
                + "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build();
        assertThat(HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
        assertThat(management("/api/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void ready_listsEveryCheck_andTurns503WhenACriticalOneFails() throws Exception {
        ApiClient.Response ok = client.get("/api/health/ready", null);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        JsonNode checks = ok.json().get("checks");
        assertThat(ok.json().get("status").asText()).isEqualTo("UP");
        assertThat(iterable(checks.fieldNames())).containsExactly("storage", "hub", "model", "broker");
        assertThat(checks.get("storage").get("status").asText()).isEqualTo("UP");
        assertThat(checks.get("model").get("detail").asText()).contains("TestPredictor loaded");
        assertThat(checks.get("model").get("critical").asBoolean()).isFalse();

        brokerUp.set(false);
        try {
            ApiClient.Response down = client.get("/api/health/ready", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(down.json().get("checks").get("broker").get("detail").asText()).isEqualTo("connection refused");
            assertThat(management("/api/health/ready").statusCode()).isEqualTo(503);
            assertThat(client.get("/api/health/live", null).status()).as("liveness ignores dependencies")
                    .isEqualTo(200);
            assertThat(client.get("/api/health", null).status()).as("the seed's endpoint stays").isEqualTo(200);
        } finally {
            brokerUp.set(true);
        }
    }

    @Test
    void ready_reportsAClosedHubAStuckCheckAndAMissingModel() throws Exception {
        StreamHub closed = StreamHub.inMemory().build();
        try (StorageBackend memory = StorageBackends.open("memory:");
             IotpmServer s = IotpmServer.builder().port(0).storage(memory).hub(closed).users(TestUsers.store())
                     .jwtSecret(TestUsers.SECRET).observability(Observability.builder().requireModel(true)
                             .checkTimeout(Duration.ofSeconds(3)).jvmMetrics(false)
                             .check("stuck", () -> {
                                 // The deadline is shared by every check: long enough for the others on a
                                 // loaded machine, and this one never answers within it (it is cancelled).
                                 Thread.sleep(600_000);
                                 return HealthCheck.Result.up("never");
                             }, false).build())
                     .build().start()) {
            closed.close();
            ApiClient.Response r = new ApiClient(s).get("/api/health/ready", null);
            assertThat(r.status()).isEqualTo(503);
            JsonNode c = r.json().get("checks");
            assertThat(c.get("hub").get("detail").asText()).isEqualTo("stream hub is closed");
            assertThat(c.get("model").get("status").asText()).isEqualTo("DOWN");
            assertThat(c.get("model").get("critical").asBoolean()).isTrue();
            assertThat(c.get("stuck").get("detail").asText()).isEqualTo("no answer within 3000 ms");
            assertThat(c.get("storage").get("status").asText()).isEqualTo("UP");
            assertThat(s.managementPort()).as("off by default").isEqualTo(-1);
        }
    }

    /** Names PromQL uses that are not metric names. */
    private static final Set<String> PROMQL = Set.of("rate", "irate", "increase", "sum", "avg", "max", "min",
            "by", "without", "on", "ignoring", "histogram_quantile", "clamp_min", "topk", "count", "and", "or",
            "unless", "offset", "deriv", "delta", "abs", "label_replace", "vector", "time");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void grafanaDashboard_queriesOnlyMetricsTheScrapeSaw() throws Exception {
        Set<String> seen = scrape().names();
        JsonNode dashboard = ApiClient.JSON.readTree(
                Files.readString(Path.of("..", "examples", "grafana", "iotpm-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                targets++;
                String expr = target.get("expr").asText();
                // Drop label matchers, ranges and grouping clauses; what remains are functions and metric names.
                String bare = expr.replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                        .replaceAll("(by|without|on|ignoring)\\s*\\([^)]*\\)", "").replaceAll("\"[^\"]*\"", "");
                Matcher m = IDENT.matcher(bare);
                while (m.find()) {
                    String id = m.group();
                    boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
                    if (!PROMQL.contains(id) && !call && !id.matches("\\d.*")) {
                        queried.add(id);
                    }
                }
            }
        }
        assertThat(targets).isGreaterThanOrEqualTo(10);
        assertThat(queried).isNotEmpty();
        assertThat(seen).containsAll(queried);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
