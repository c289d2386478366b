package io.iotpm.benchmarks.mqtt;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.Topic;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.ml.EngineOptions;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.mqtt.IngestMetrics;
import io.iotpm.mqtt.MqttDeviceFleet;
import io.iotpm.mqtt.MqttIngest;
import io.iotpm.mqtt.MqttSettings;
import io.iotpm.test.server.MosquittoServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The fleet-scale end-to-end benchmark: simulated devices publish readings over MQTT (QoS 1) to a
 * real mosquitto on this machine; {@code MqttIngest} takes them into the in-memory hub; the
 * {@code MonitoringPipeline} stores them in SQLite, runs the default alert rules on every reading and
 * an LSTM (100 -> 50 units, 60-reading windows) once per device per minute of reading time. Broker,
 * load generator and pipeline all share this machine's cores.
 *
 * <p>It first measures mosquitto's raw pub/sub throughput (plain Paho clients, same payload size and
 * connections), then runs the fleet at {@code --rate} readings/s for {@code --seconds} after a
 * {@code --warmup}, printing a line every 10 s, and ends with a report: readings/s and data points/s
 * sustained, lost readings, lag, p50/p99 publish -> stored latency, CPU of this JVM and of mosquitto,
 * heap, and a verdict (holds = nothing lost and the backlog stayed under two seconds of readings).
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am -DskipTests package
 * java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.mqtt.MqttFleetBenchmark --rate 20000 --seconds 300
 * </pre>
 */
public final class MqttFleetBenchmark {

    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();
    private static final int CHANNELS = SCHEMA.size();

    private MqttFleetBenchmark() {
    }

    /** Command-line options. */
    record Options(int rate, int devices, int seconds, int warmup, int rawSeconds, int connections, String predictor,
                   int batch, int perMessage) {

        static Options parse(String[] args) {
            int rate = 20_000;
            int devices = 2_000;
            int seconds = 300;
            int warmup = 30;
            int raw = 20;
            int connections = 4;
            String predictor = "lstm";
            int batch = 20_000;
            int perMessage = 1;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new IllegalArgumentException("usage");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--rate" -> rate = positive(a, v);
                    case "--devices" -> devices = positive(a, v);
                    case "--seconds" -> seconds = positive(a, v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--raw-seconds" -> raw = Integer.parseInt(v);
                    case "--connections" -> connections = positive(a, v);
                    case "--batch" -> batch = positive(a, v);
                    case "--per-message" -> perMessage = positive(a, v);
                    case "--predictor" -> {
                        if (!List.of("lstm", "none").contains(v)) {
                            throw new IllegalArgumentException("--predictor must be lstm or none, but was '" + v + "'");
                        }
                        predictor = v;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(rate, devices, seconds, warmup, raw, connections, predictor, batch, perMessage);
        }

        private static int positive(String name, String v) {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, but was " + n);
            }
            return n;
        }
    }

    /**
     * @param args {@code --rate R} readings/s (20000), {@code --devices D} (2000), {@code --seconds S}
     *             measured (300), {@code --warmup W} (30), {@code --raw-seconds} (20, 0 skips the raw
     *             baseline), {@code --connections} of the load generator (4), {@code --predictor lstm|none},
     *             {@code --batch} readings per SQLite transaction (20000), {@code --per-message} readings of
     *             a device per MQTT message (1; more sends JSON arrays, as a batching gateway does)
     * @throws Exception when the broker, the model or the store cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("usage") ? "" : e.getMessage());
            System.err.println("usage: MqttFleetBenchmark [--rate 20000] [--devices 2000] [--seconds 300] [--warmup 30]"
                    + " [--raw-seconds 20] [--connections 4] [--predictor lstm|none] [--batch 20000]"
                    + " [--per-message 1]");
            return;
        }
        SystemStats sys = new SystemStats();
        System.out.printf(Locale.ROOT, "== MQTT fleet benchmark: %,d readings/s from %,d devices, %d s measured after %d s"
                + " warm-up, predictor %s, SQLite batches of %,d, %d reading(s) per MQTT message%n", o.rate(), o.devices(),
                o.seconds(), o.warmup(), o.predictor(), o.batch(), o.perMessage());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.println("uptime before: " + SystemStats.uptime());
        Path dir = Files.createTempDirectory("iotpm-mqtt-bench-");
        try (MosquittoServer broker = MosquittoServer.builder().config("max_inflight_messages 1000").start()) {
            System.out.println("broker: " + broker + " (mosquitto, QoS 1, max_inflight_messages 1000, no queue limit)");
            int payload = ReadingJson.of(SCHEMA).write(sample()).length();
            if (o.rawSeconds() > 0) {
                double raw = RawMqttThroughput.measure(broker.url(), o.connections(), 1_000, payload, o.rawSeconds());
                System.out.printf(Locale.ROOT, "raw mosquitto pub/sub (plain Paho, %d publishers -> 1 subscriber, QoS 1, "
                        + "%d-byte payloads, nothing else): %,.0f messages/s over %d s%n", o.connections(), payload, raw,
                        o.rawSeconds());
                System.out.println("uptime after raw: " + SystemStats.uptime());
            }
            Predictor predictor = o.predictor().equals("lstm") ? lstm(dir) : null;
            run(o, broker, dir, predictor, sys);
            if (predictor != null) {
                predictor.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("cannot delete " + dir + ": " + e.getMessage());
            }
        }
    }

    private static SensorReading sample() {
        return Fleet.builder().devices(1).seed(1).build().simulators().get(0).next();
    }

    /** The LSTM of the README's predict benchmark: 100 -> 50 units, 60-reading windows, trained briefly. */
    private static Predictor lstm(Path dir) throws Exception {
        EngineOptions.defaults().apply();
        long t0 = System.nanoTime();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(4).seed(7).failureProbability(0.5).start(start).build();
        List<SensorReading> readings = fleet.history(Duration.ofDays(2)).toList();
        LstmPredictor p = LstmPredictor.builder(SCHEMA).sequenceLength(60).layers(100, 50).stride(30).epochs(1)
                .validationFraction(0).seed(1).build();
        p.train(TrainingSet.of(readings, fleet.events()));
        System.out.printf(Locale.ROOT, "LSTM 100->50, window 60: trained in %.1f s (one epoch; its accuracy is not the point here)%n",
                (System.nanoTime() - t0) / 1e9);
        return p;
    }

    private static void run(Options o, MosquittoServer broker, Path dir, Predictor predictor, SystemStats sys)
            throws Exception {
        MqttSettings settings = MqttSettings.builder(broker.url()).build();
        // One reading per device per second of reading time: a device's minute is 60 readings.
        Fleet fleet = Fleet.builder().devices(o.devices()).idPrefix("DEV_").seed(42).failureProbability(0.05)
                .interval(Duration.ofSeconds(1)).start(Instant.parse("2026-01-01T00:00:00Z")).build();
        long periodMicros = 1_000_000L * o.devices() / o.rate();
        if (periodMicros < 1_000) {
            throw new IllegalArgumentException("--devices / --rate must be >= 1 ms per step; use more devices");
        }
        LatencyProbe probe = new LatencyProbe();
        try (StreamHub hub = StreamHub.inMemory().build();
             StorageBackend sqlite = StorageBackends.open("sqlite:" + dir.resolve("fleet.db"));
             AlertManager alerts = AlertManager.builder().rules(AlertRules.defaults(SCHEMA)).build()) {
            MonitoringPipeline.Builder pb = MonitoringPipeline.builder().hub(hub).storage(probe.measuring(sqlite))
                    // Each transaction dirties about one B-tree page per device it touches (the key is
                    // device, time), so with thousands of devices rows per device per batch set the cost.
                    .listener(alerts).batchSize(o.batch());
            if (predictor != null) {
                pb.predictor(predictor).predictEvery(Duration.ofMinutes(1)).predictionBatchSize(256);
            }
            MonitoringPipeline pipeline = pb.build().start();
            try (MqttIngest ingest = MqttIngest.builder(settings, hub, SCHEMA).clientId("bench-ingest").build().start();
                 MqttDeviceFleet devices = MqttDeviceFleet.builder(settings).connections(o.connections())
                         .clientIdPrefix("bench-device").readingsPerMessage(o.perMessage()).build().connect()) {
                FleetStreamer streamer = FleetStreamer.builder(probe.stamping(devices)).fleet(fleet)
                        .period(Duration.ofNanos(periodMicros * 1_000)).build().start();
                Report r = measure(o, broker, hub, devices, ingest, pipeline, probe, sys);
                streamer.close();
                devices.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (probe.stored() < devices.acknowledged() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                pipeline.close();
                r.print(o, devices.acknowledged(), probe, pipeline.metrics(), ingest.metrics());
            } finally {
                pipeline.close();
            }
        }
        System.out.println("uptime after: " + SystemStats.uptime());
    }

    private static Report measure(Options o, MosquittoServer broker, StreamHub hub, MqttDeviceFleet devices, MqttIngest ingest,
                                  MonitoringPipeline pipeline, LatencyProbe probe, SystemStats sys)
            throws InterruptedException {
        Thread.sleep(o.warmup() * 1_000L);
        probe.record(true);
        Report r = new Report();
        r.acked0 = devices.acknowledged();
        r.stored0 = probe.stored();
        sys.mark(broker.pid());
        long t0 = System.nanoTime();
        // The backlog splits into: held by the broker (acknowledged to devices, not yet sent to the ingest),
        // in the ingest's window, in the hub queue of the pipeline, and in its storage buffer: where it grows is the bottleneck.
        // "before hub" counts readings (acknowledged to devices, not yet taken by the hub: at the broker or in
        // the ingest's window); "in flight" counts MQTT messages, each holding --per-message readings.
        System.out.println("   t  published/s     stored/s   backlog before hub  in flight  hub queue  to store  predictions  heap MB  cpu(jvm+mosq)");
        long lastAcked = r.acked0;
        long lastStored = r.stored0;
        for (int s = 10; s <= o.seconds(); s += 10) {
            long wait = t0 + s * 1_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            long acked = devices.acknowledged();
            long stored = probe.stored();
            long backlog = acked - stored;
            r.maxBacklog = Math.max(r.maxBacklog, backlog);
            if (s > o.seconds() / 2) {
                r.maxBacklogSecondHalf = Math.max(r.maxBacklogSecondHalf, backlog);
            }
            long heap = SystemStats.heapUsedMb();
            r.maxHeapMb = Math.max(r.maxHeapMb, heap);
            double[] cpu = sys.cpuSinceLast(broker.pid());
            IngestMetrics im = ingest.metrics();
            PipelineMetrics pm = pipeline.metrics();
            long hubQueue = hub.metrics().stream().filter(m -> m.topic().equals(Topic.READINGS_NAME))
                    .mapToLong(SubscriberMetrics::queueDepth).max().orElse(0);
            System.out.printf(Locale.ROOT, "%4d %12.0f %12.0f %9d %10d %10d %10d %8d %12d %8d  %5.0f%% + %3.0f%%%n", s,
                    (acked - lastAcked) / 10.0, (stored - lastStored) / 10.0, backlog, Math.max(0, acked - im.published()),
                    im.inFlight(), hubQueue, pm.readingsPending(), pm.predictions(), heap, cpu[0], cpu[1]);
            lastAcked = acked;
            lastStored = stored;
        }
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.acked1 = devices.acknowledged();
        r.stored1 = probe.stored();
        r.cpu = sys.cpuSinceMark(broker.pid());
        r.uptime = SystemStats.uptime();
        probe.record(false);
        return r;
    }

    /** What the measured window saw. */
    static final class Report {
        long acked0;
        long acked1;
        long stored0;
        long stored1;
        long maxBacklog;
        long maxBacklogSecondHalf;
        long maxHeapMb;
        double seconds;
        double[] cpu;
        String uptime;

        void print(Options o, long ackedTotal, LatencyProbe probe, PipelineMetrics pm, IngestMetrics im) {
            double published = (acked1 - acked0) / seconds;
            double stored = (stored1 - stored0) / seconds;
            long lost = Math.max(0, ackedTotal - probe.stored());
            double[] lat = probe.percentilesMillis();
            boolean holds = lost == 0 && maxBacklogSecondHalf <= 2L * o.rate() && published >= 0.95 * o.rate();
            System.out.println();
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("offered rate", String.format(Locale.ROOT, "%,d readings/s (%,d devices)", o.rate(), o.devices()));
            row("sustained, broker-acknowledged", String.format(Locale.ROOT, "%,.0f readings/s", published));
            row("sustained, stored in SQLite", String.format(Locale.ROOT, "%,.0f readings/s = %,.0f data points/s",
                    stored, stored * CHANNELS));
            row("lost (acknowledged by the broker, never stored)", String.format(Locale.ROOT, "%,d of %,d", lost, ackedTotal));
            row("backlog (acknowledged - stored), max / max in 2nd half", String.format(Locale.ROOT, "%,d / %,d readings",
                    maxBacklog, maxBacklogSecondHalf));
            row("publish -> stored latency p50 / p99 / max", String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms (%,d samples)",
                    lat[0], lat[1], lat[2], probe.sampleCount()));
            row("CPU: this JVM (devices + ingest + pipeline) / mosquitto", String.format(Locale.ROOT,
                    "%.0f %% / %.0f %% of one core", cpu[0], cpu[1]));
            row("heap used, max sampled", maxHeapMb + " MB");
            row("predictions / alerts rules", pm.predictions() + " LSTM predictions, " + pm.predictorErrors()
                    + " predictor errors; default alert rules on every reading");
            row("ingest", String.format(Locale.ROOT, "%,d messages received, %,d rejected, %d reconnects", im.received(),
                    im.rejectedTotal(), im.reconnects()));
            row("per core (CPU of JVM + mosquitto)", String.format(Locale.ROOT, "%,.0f data points/s per core",
                    stored * CHANNELS / Math.max(0.01, (cpu[0] + cpu[1]) / 100)));
            row("load (uptime at the end)", uptime);
            System.out.println();
            System.out.println(holds ? "VERDICT: holds (nothing lost, backlog under 2 s of readings, >= 95 % of the offered rate)"
                    : "VERDICT: does NOT hold at this rate (lost readings, a growing backlog, or under 95 % of the offered rate)");
        }

        private static void row(String k, String v) {
            System.out.println("| " + k + " | " + v + " |");
        }
    }
}
