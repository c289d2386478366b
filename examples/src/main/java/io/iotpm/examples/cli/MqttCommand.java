package io.iotpm.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.notify.AlertJson;
import io.iotpm.alerts.notify.HubNotifier;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.examples.showcase.BaselinePredictor;
import io.iotpm.mqtt.IngestMetrics;
import io.iotpm.mqtt.MqttDeviceFleet;
import io.iotpm.mqtt.MqttIngest;
import io.iotpm.mqtt.MqttPublisher;
import io.iotpm.mqtt.MqttSettings;
import io.iotpm.mqtt.PublisherMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./iotpm mqtt}: simulated devices publish over MQTT (QoS 1) to a broker ({@code MQTT_URL}, or
 * an embedded one); {@code MqttIngest} takes them into the hub, the monitoring pipeline stores them,
 * predicts and raises alerts, and {@code MqttPublisher} sends predictions and alerts back to
 * {@code devices/{id}/...}. Ends with {@code published: N stored: M lost: K}.
 */
@Command(name = "mqtt", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"devices over MQTT: simulated devices publish to a broker (MQTT_URL, else an embedded one),",
                "ingest -> hub -> pipeline (storage, default alert rules, predictions), alerts and",
                "predictions published back to devices/{id}/alerts and devices/{id}/predictions"})
final class MqttCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "50", description = "simulated devices")
    private int devices;

    @Option(names = "--rate", defaultValue = "500", description = "readings per second over all devices")
    private int rate;

    @Option(names = "--seconds", defaultValue = "10", description = "how long the devices publish, at least 1")
    private int seconds;

    @Option(names = "--storage", defaultValue = "memory:", paramLabel = "URI", description = "where the pipeline stores (e.g. sqlite:mqtt.db)")
    private String uri;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    /** Simulated time between two readings of a device: a minute of reading time is 12 readings. */
    private static final Duration SIM_INTERVAL = Duration.ofSeconds(5);
    /** Readings per prediction window, so predictions start within seconds. */
    private static final int WINDOW = 20;

    /** What one run counted. */
    record Result(long published, long stored, long lost, IngestMetrics ingest, PublisherMetrics out, PipelineMetrics pipeline) {
    }

    @Override
    public Integer call() throws Exception {
        Result r = run(cli.out(), IotpmConfig.fromEnvironment(), devices, rate, seconds, uri, seed, true);
        return r.lost() == 0 ? 0 : 1;
    }

    static Result run(PrintStream out, IotpmConfig config, int devices, int rate, int seconds, String uri, long seed,
                      boolean live) throws Exception {
        if (devices < 1 || rate < 1 || seconds < 1) {
            throw new IllegalArgumentException("--devices, --rate and --seconds must be >= 1, but were "
                    + devices + ", " + rate + ", " + seconds);
        }
        long periodMicros = Math.max(1_000, 1_000_000L * devices / rate);
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(0.3)
                .interval(SIM_INTERVAL).start(Instant.now().truncatedTo(ChronoUnit.SECONDS)).build();
        MqttSettings external = MqttSettings.fromConfig(config).orElse(null);
        try (EmbeddedBroker embedded = external == null ? EmbeddedBroker.start() : null) {
            MqttSettings settings = external != null ? external : MqttSettings.builder(embedded.url()).build();
            out.printf(Locale.ROOT, "broker %s (%s); %d devices publish %d readings/s for %d s (QoS 1); storage %s%n",
                    settings.url(), external != null ? "MQTT_URL" : "embedded Moquette, in memory", devices,
                    devices * 1_000_000L / periodMicros, seconds, uri);
            return pump(out, settings, schema, fleet, Duration.ofNanos(periodMicros * 1_000), seconds, uri, live);
        }
    }

    private static boolean drained(MqttDeviceFleet devices, MqttIngest ingest, MonitoringPipeline pipeline) {
        long acknowledged = devices.acknowledged();
        if (acknowledged < devices.sent() || ingest.metrics().inFlight() > 0) {
            return false;
        }
        PipelineMetrics pm = pipeline.metrics();
        return pm.readingsStored() + pm.readingsPending() >= acknowledged;
    }

    private static Result pump(PrintStream out, MqttSettings settings, SensorSchema schema, Fleet fleet, Duration period,
                               int seconds, String uri, boolean live) throws Exception {
        try (StreamHub hub = StreamHub.inMemory().build();
             StorageBackend storage = StorageBackends.open(uri);
             AlertManager alerts = AlertManager.builder().rules(AlertRules.defaults(schema))
                     .notifier(HubNotifier.to(hub)).build()) {
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).listener(alerts)
                    .predictor(new BaselinePredictor(schema, WINDOW)).predictEvery(Duration.ofMinutes(1)).build().start();
            try (MqttPublisher publisher = MqttPublisher.builder(settings, hub).clientId("iotpm-cli-publisher")
                         .alerts(HubNotifier.TOPIC, MqttCommand::alertJson).build().start();
                 MqttIngest ingest = MqttIngest.builder(settings, hub, schema).clientId("iotpm-cli-ingest")
                         .build().start();
                 MqttDeviceFleet devices = MqttDeviceFleet.builder(settings).clientIdPrefix("iotpm-cli-device")
                         .connections(2).build().connect()) {
                FleetStreamer streamer = FleetStreamer.builder(devices).fleet(fleet).period(period).build().start();
                long t0 = System.nanoTime();
                for (int s = 1; s <= seconds; s++) {
                    long wait = t0 + s * 1_000_000_000L - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (live) {
                        out.println(line(s, devices, ingest.metrics(), pipeline.metrics(), publisher.metrics()));
                    }
                }
                streamer.close();
                // Drain: everything the broker acknowledged must reach storage. Publishes still in flight when the
                // streamer stopped are acknowledged later, so wait for every sent reading's answer and an empty
                // ingest window too; otherwise the pipeline closes before the last acknowledged readings arrive.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!drained(devices, ingest, pipeline) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                pipeline.close();
                PipelineMetrics pm = pipeline.metrics();
                // The last predictions are still on their way to the publisher's hub subscription.
                while (publisher.metrics().predictions() < pm.predictions() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long published = devices.acknowledged();
                IngestMetrics im = ingest.metrics();
                PublisherMetrics om = publisher.metrics();
                out.printf(Locale.ROOT, "ingest: received %d, rejected %d, reconnects %d; pipeline: %d predictions, "
                        + "%d storage errors; back to devices: %d predictions (retained), %d alerts%n", im.received(),
                        im.rejectedTotal(), im.reconnects(), pm.predictions(), pm.storageErrors(), om.predictions(), om.alerts());
                long lost = Math.max(0, published - pm.readingsStored());
                out.printf(Locale.ROOT, "published: %d stored: %d lost: %d%n", published, pm.readingsStored(), lost);
                return new Result(published, pm.readingsStored(), lost, im, om, pm);
            } finally {
                pipeline.close();
            }
        }
    }

    private static String line(int second, MqttDeviceFleet devices, IngestMetrics in, PipelineMetrics p, PublisherMetrics o) {
        return String.format(Locale.ROOT, "[%3ds] published %8d  ingested %8d  stored %8d  in flight %4d  predictions %5d"
                + "  alerts out %4d", second, devices.acknowledged(), in.published(), p.readingsStored(), in.inFlight(),
                p.predictions(), o.alerts());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An alert as the REST API's {@code GET /api/alerts} shapes it ({@link AlertJson}), plus the notification's event. */
    static String alertJson(AlertNotification n) {
        Map<String, Object> m = new LinkedHashMap<>(AlertJson.toMap(n.alert()));
        m.put("event", n.event().name());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo's MQTT step: 20 devices for 3 seconds through the embedded broker (or MQTT_URL). */
    static void demoStep(PrintStream out, IotpmConfig config, long seed) throws Exception {
        run(out, config, 20, 400, 3, "memory:", seed, false);
    }
}
