package io.iotpm.examples.cli;

import io.iotpm.api.IotpmServer;
import io.iotpm.api.IotpmServerBuilder;
import io.iotpm.api.observability.Observability;
import io.iotpm.micrometer.DriftMetrics;
import io.iotpm.micrometer.MonitoringPipelineMetrics;
import io.iotpm.micrometer.RetentionTaskMetrics;
import io.micrometer.core.instrument.Tags;
import io.iotpm.api.training.LstmTrainer;
import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.ml.registry.ModelRegistry;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.SensorReading;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertManagerBuilder;
import io.iotpm.alerts.notify.EmailNotifier;
import io.iotpm.alerts.notify.EmailSettings;
import io.iotpm.alerts.notify.LogNotifier;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStores;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./iotpm api}: the REST API over simulated devices, as the original {@code main_demo.py api}.
 * Streams a simulated fleet through a hub into storage and serves it until Ctrl-C. Without
 * {@code SECRET_KEY} and {@code IOTPM_USERS} it runs in demo mode (random secret, demo users).
 */
@Command(name = "api", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "REST API on API_PORT/PORT (5000) over simulated devices, until Ctrl-C")
final class ApiCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Mixin
    private ApiOptions options;

    @Override
    public Integer call() throws Exception {
        return serve(options, IotpmConfig.fromEnvironment(), cli.out());
    }

    /** Serves until Ctrl-C; {@code ./iotpm dashboard} runs this too. */
    static int serve(ApiOptions options, IotpmConfig config, PrintStream out) throws Exception {
        int devices = options.devices;
        int hours = options.hours;
        int port = options.port(config);
        boolean configured = realUsers(config, System.getenv(UserStore.ENV_VARIABLE));

        try (StorageBackend store = StorageBackends.open(config.storageUri());
             AlertStore alertStore = openAlertStore(config.storageUri());
             StreamHub hub = StreamHub.inMemory().build()) {
            // A restart continues the stored history; streaming never runs ahead of the wall clock.
            SimulatedFleet fleet = SimulatedFleet.prepare(store, devices, Duration.ofHours(hours), Clock.systemUTC());
            Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);   // the stored history reaches the wall clock
            MlSupport.quietOffline();
            // POST /api/model/train (admin) trains this LSTM on the stored history and keeps it in the folder
            // registry (MODEL_DIR) as the active model, which a restarted server loads; the first start trains one.
            ModelRegistry registry = ModelRegistry.open(Path.of(config.get(IotpmConfig.MODEL_DIR)));
            RegisteringTrainer trainer = RegisteringTrainer.of(LstmTrainer.of(() -> LstmPredictor.builder(
                            SensorSchema.industrialMotor()).sequenceLength(30).horizon(30).stride(5).layers(32, 16)
                    .dropout(0.2).epochs(10).batchSize(256).seed(42)), registry, "iotpm api");
            Predictor startup = StartupModel.load(registry, trainer, SensorSchema.industrialMotor(), store,
                    fleet.fleet().deviceIds(), end.minus(Duration.ofHours(hours)), end, out);
            // GET /api/drift, the model page's drift card and the drift.<channel> alert rules: streamed readings
            // against the active model's training data.
            DriftMonitor drift = DriftSetup.monitor(registry, SensorSchema.industrialMotor(), store,
                    end.minus(Duration.ofHours(hours)), end, devices);
            RetentionTask retention = RetentionTask.fromConfig(config, store).build();
            IotpmServerBuilder b = IotpmServer.builder().config(config).port(port).storage(store).storageUri(config.storageUri()).hub(hub)
                    .retention(config.get(IotpmConfig.DATA_RETENTION))
                    .retentionTask(retention)   // DATA_/EVENT_RETENTION, RETENTION_INTERVAL
                    .trainer(trainer).predictor(startup).drift(drift);
            if (configured) {
                b.users(UserStore.fromEnv());
            } else {
                b.demoMode(true);
            }
            // The default alert rules see every streamed reading (through the pipeline) and every reading
            // ingested through the API (the server makes them its listener); /api/alerts serves them.
            try (startup; AlertManager alerts = alertManager(config, alertStore).build();
                 MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store).listener(drift).listener(alerts)
                         .build().start();
                 IotpmServer server = b.alerts(alerts).observability(observability(config, pipeline, drift, retention)).build().start();
                 SimulatedFleet.Streaming streamer = fleet.stream(hub, Duration.ofSeconds(2))) {
                printWelcome(server, configured, out);
                out.println("  alerts, acknowledgements, silences and rule edits kept in " + alertStore.description());
                out.println("  streaming " + streamer.devices() + " simulated devices into storage through "
                        + pipeline.getClass().getSimpleName() + " (" + fleet.stored() + " readings added to the store;"
                        + " one reading per device per simulated minute, 30x fast until it reaches now, then real time)");
                CountDownLatch stop = new CountDownLatch(1);
                Thread hook = new Thread(stop::countDown, "iotpm-api-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                stop.await();
                out.println("stopping ...");
            }
        }
        return 0;
    }

    /**
     * {@code GET /metrics} for admins, plus the pipeline's, the drift monitor's ({@code iotpm_drift_psi} per group and
     * channel) and the retention task's meters; with {@code MANAGEMENT_PORT} set, also an unauthenticated management
     * port for Prometheus and an orchestrator's probes.
     */
    static Observability observability(IotpmConfig config, MonitoringPipeline pipeline, DriftMonitor drift,
                                       RetentionTask retention) {
        Observability.Builder o = Observability.builder().binder(new MonitoringPipelineMetrics(pipeline, "main"))
                .binder(new DriftMetrics(drift, Tags.empty())).binder(RetentionTaskMetrics.of(retention));
        Integer management = config.get(IotpmConfig.MANAGEMENT_PORT);
        if (management != null) {
            o.managementPort(management).managementHost(config.get(IotpmConfig.API_HOST));
        }
        return o.build();
    }

    /**
     * The alert store beside the readings ({@link AlertStores#besideStorage}): {@code STORAGE_URI=sqlite:data/iot.db}
     * keeps alerts in {@code data/iot.alerts.db}, so a restart keeps acknowledgements, silences and rule edits.
     */
    static AlertStore openAlertStore(String storageUri) {
        return AlertStores.open(AlertStores.besideStorage(storageUri));
    }

    /**
     * The API's alert manager, durable in {@code alertStore}: the default rules, the log notifier always
     * (so the settings page's Notifications card has something to show and test), and e-mail when SMTP is
     * configured (SMTP_HOST etc., see EmailSettings).
     */
    static AlertManagerBuilder alertManager(IotpmConfig config, AlertStore alertStore) {
        AlertManagerBuilder ab = AlertManager.builder().store(alertStore).schema(SensorSchema.industrialMotor())
                .rules(AlertRules.defaults(SensorSchema.industrialMotor(), config)).notifier(new LogNotifier());
        EmailSettings mail = EmailSettings.from(config);
        if (mail.enabled()) {
            ab.notifier(EmailNotifier.smtp(mail));
        }
        return ab;
    }

    private static void printWelcome(IotpmServer server, boolean configured, PrintStream out) {
        String url = server.url();
        out.println("iotpm API on " + url + "  (Ctrl-C to stop)");
        out.println("  health:   " + url + "/api/health  (probes: /api/health/live, /api/health/ready)");
        out.println("  metrics:  " + url + "/metrics  (Prometheus text, admin token)" + (server.managementPort() < 0
                ? "" : "; no token on http://127.0.0.1:" + server.managementPort() + "/metrics"));
        out.println("  OpenAPI:  " + url + IotpmServer.OPENAPI_PATH);
        out.println("  stream:   " + url + "/api/stream  (Server-Sent Events)");
        out.println("  train:    POST " + url + "/api/model/train as admin, then GET /api/model/jobs/1");
        if (configured) {
            out.println("  users from " + UserStore.ENV_VARIABLE + ", secret from SECRET_KEY");
        } else {
            out.println("  DEMO MODE (set SECRET_KEY and " + UserStore.ENV_VARIABLE + " for real users):");
            out.println("    admin / password123, operator / operator123, viewer / viewer123");
        }
        out.println("  try:  TOKEN=$(curl -s -X POST " + url + "/api/auth/login -H 'Content-Type: application/json'"
                + " -d '{\"username\":\"admin\",\"password\":\"password123\"}' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("        curl -H \"Authorization: Bearer $TOKEN\" " + url + "/api/devices");
    }

    /**
     * Whether the server runs with real users: {@code IOTPM_USERS} and {@code SECRET_KEY} both set. Neither
     * set is demo mode. {@code IOTPM_USERS} without {@code SECRET_KEY} is refused: falling back to demo mode
     * would serve the well-known demo passwords to an operator who meant to configure real users.
     *
     * @param config        the configuration (its {@code SECRET_KEY})
     * @param usersVariable the value of {@code IOTPM_USERS}, or {@code null}
     * @return true for real users, false for demo mode
     * @throws IllegalStateException when users are configured without a secret
     */
    static boolean realUsers(IotpmConfig config, String usersVariable) {
        boolean users = usersVariable != null && !usersVariable.isBlank();
        if (users && config.secretKey() == null) {
            throw new IllegalStateException(UserStore.ENV_VARIABLE + " is set but SECRET_KEY is not: real users need a"
                    + " JWT secret of at least 32 bytes that outlives restarts (e.g. SECRET_KEY=$(openssl rand -base64 48));"
                    + " refusing to start in demo mode with its well-known passwords. Unset " + UserStore.ENV_VARIABLE
                    + " for demo mode.");
        }
        return users && config.secretKey() != null;
    }

    /**
     * The demo step: an API on an ephemeral port over a small simulated fleet, called like a client would.
     */
    static void demo(long seed, PrintStream out) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(3).idPrefix("PUMP_").seed(seed).failureProbability(0.1)
                .start(end.minus(Duration.ofHours(6))).build();
        try (StorageBackend store = StorageBackends.open("memory:")) {
            SimulatedFleet.backfill(store, fleet, Duration.ofHours(6));
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).demoMode(true).build().start()) {
                HttpClient http = HttpClient.newHttpClient();
                String url = server.url();
                out.println("server on " + url + " (demo mode; ./iotpm api keeps one running)");
                String login = call(http, "POST", url + "/api/auth/login", null,
                        "{\"username\":\"viewer\",\"password\":\"viewer123\"}", out, 0);
                String token = login.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
                call(http, "GET", url + "/api/devices", token, null, out, 150);
                call(http, "GET", url + "/api/devices/PUMP_001/data?limit=1", token, null, out, 150);
                call(http, "GET", url + "/api/stats/summary", token, null, out, 150);
                call(http, "POST", url + "/api/readings", token, "[]", out, 150);
                call(http, "GET", url + "/api/devices/..%2Fetc/data", token, null, out, 150);
                call(http, "GET", url + "/api/health/ready", null, null, out, 150);
            }
        }
    }

    private static String call(HttpClient http, String method, String url, String token, String body, PrintStream out,
                               int show) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String path = url.substring(url.indexOf("/api"));
        String text = show == 0 ? "{\"token\":\"eyJ...\", ...}"
                : r.body().length() > show ? r.body().substring(0, show) + " ..." : r.body();
        out.printf("  %-4s %-40s -> %d %s%n", method, path, r.statusCode(), text);
        return r.body();
    }
}
