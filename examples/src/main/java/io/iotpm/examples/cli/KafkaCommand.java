package io.iotpm.examples.cli;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.SensorReading;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.Topic;
import io.iotpm.examples.showcase.BaselinePredictor;
import io.iotpm.kafka.KafkaStreamHub;
import io.iotpm.kafka.KafkaSubscriberMetrics;
import io.iotpm.kafka.PartitionLag;
import io.iotpm.kafka.test.KafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code ./iotpm kafka}: the scale-out demo. Several monitoring pipelines (each with its own Kafka
 * hub, as separate JVMs would have) form one consumer group and share the devices by partition; a
 * simulated fleet is produced to the readings topic; one pipeline crashes mid-stream (its consumer
 * stops without committing) and the others take its partitions, rebuild its devices from storage
 * and skip what it had stored. Runs on an embedded KRaft broker unless {@code KAFKA_SERVERS} names a
 * cluster. Ends with {@code lost: N duplicated: M}: acknowledged readings not stored, and readings
 * handed to a pipeline's listeners (alerting) more than once. With {@code --api}, an API server beside them
 * ({@link KafkaFleetApi}) shows the whole fleet and keeps serving after the run until Ctrl-C.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "scale-out demo: pipelines in one consumer group, one crashes mid-stream (embedded broker"
                + " unless KAFKA_SERVERS is set)")
final class KafkaCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--pipelines", defaultValue = "3", description = "pipeline instances in the group, 1 to 16")
    private int pipelines;

    @Option(names = "--devices", defaultValue = "100", description = "simulated motors")
    private int devices;

    @Option(names = "--readings", defaultValue = "100", description = "readings per device")
    private int readings;

    @Option(names = "--partitions", defaultValue = "12", description = "partitions of the readings topic")
    private int partitions;

    @Option(names = "--no-crash", description = "let every pipeline run to the end")
    private boolean noCrash;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    @Option(names = "--api", description = "also run an API server beside the pipelines (its own consumer group,"
            + " the shared store, the fleet's alerts) and keep serving it after the run until Ctrl-C")
    private boolean api;

    @Override
    public Integer call() throws Exception {
        if (pipelines < 1 || pipelines > 16) {
            throw new IllegalArgumentException("--pipelines must be in [1, 16], but was " + pipelines);
        }
        if (devices < 1 || readings < 1) {
            throw new IllegalArgumentException("--devices and --readings must be >= 1, but were " + devices + ", "
                    + readings);
        }
        String servers = System.getenv("KAFKA_SERVERS");
        run(cli.out(), servers == null || servers.isBlank() ? null : servers, new Settings(pipelines, devices,
                readings, partitions, !noCrash && pipelines > 1, seed, api));
        return 0;
    }

    /** What one run does. */
    record Settings(int pipelines, int devices, int readings, int partitions, boolean crash, long seed,
                    boolean api) {
    }

    /** The demo's step: 2 pipelines, 20 devices, 50 readings each, one crash, on an embedded broker. */
    static void demoStep(PrintStream out, long seed) throws Exception {
        run(out, null, new Settings(2, 20, 50, 4, true, seed, false));
    }

    /**
     * @param servers a cluster, or {@code null} for an embedded broker
     * @return the last line's numbers: {@code {lost, duplicated}}
     */
    static long[] run(PrintStream out, String servers, Settings s) throws Exception {
        KafkaBroker embedded = null;
        if (servers == null) {
            embedded = KafkaBroker.builder().partitions(s.partitions()).build().start();
            servers = embedded.bootstrapServers();
            out.println("embedded KRaft broker on " + servers + " (set KAFKA_SERVERS to use a cluster)");
        } else {
            out.println("Kafka cluster " + servers);
        }
        // Topics and group of their own, so runs never see each other's records.
        String ns = "demo" + Long.toHexString(System.nanoTime()) + "-";
        try (StorageBackend storage = StorageBackends.open("memory:");
             KafkaStreamHub producer = hub(servers, ns, s.partitions());
             AlertManager alerts = s.api() ? AlertManager.builder().schema(SensorSchema.industrialMotor())
                     .rules(AlertRules.defaults(SensorSchema.industrialMotor(), IotpmConfig.fromEnvironment())).build()
                     : null;
             KafkaFleetApi fleetApi = s.api() ? new KafkaFleetApi(apiHub(servers, ns, s.partitions()), storage,
                     new BaselinePredictor(SensorSchema.industrialMotor(), 10), alerts) : null) {
            if (fleetApi != null) {
                out.println("API server on " + fleetApi.url() + " (demo users: admin / password123): the whole fleet"
                        + " from the shared store and the topics");
            }
            Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
            MonitoringListener alerting = new MonitoringListener() {
                @Override
                public void onReading(SensorReading r) {
                    handled.computeIfAbsent(r.deviceId() + "@" + r.timestamp(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            };
            List<KafkaStreamHub> hubs = new ArrayList<>();
            List<MonitoringPipeline> instances = new ArrayList<>();
            List<Set<String>> owned = new ArrayList<>();
            for (int i = 0; i < s.pipelines(); i++) {
                KafkaStreamHub h = hub(servers, ns, s.partitions());
                hubs.add(h);
                Set<String> mine = ConcurrentHashMap.newKeySet();
                owned.add(mine);
                MonitoringPipeline.Builder pb = MonitoringPipeline.builder();
                if (s.api()) {
                    // Predictions on the predictions topic, for the API server to show.
                    pb.predictor(new BaselinePredictor(SensorSchema.industrialMotor(), 10));
                }
                instances.add(pb.hub(h).storage(storage).listener(alerting)
                        .listener(new MonitoringListener() {
                            @Override
                            public void onReading(SensorReading r) {
                                mine.add(r.deviceId());
                            }
                        }).name("pipeline").batchTime(Duration.ofMillis(50)).build().start());
            }
            Fleet fleet = Fleet.builder().devices(s.devices()).idPrefix("PUMP_").seed(s.seed())
                    .failureProbability(0.1).interval(Duration.ofSeconds(1))
                    .start(Instant.parse("2026-01-01T00:00:00Z")).build();
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            Set<String> acked = ConcurrentHashMap.newKeySet();
            long t0 = System.nanoTime();
            for (int step = 0; step < s.readings(); step++) {
                for (SensorReading r : fleet.next()) {
                    String id = r.deviceId() + "@" + r.timestamp();
                    acks.add(producer.send(Topic.READINGS, r).thenRun(() -> acked.add(id)));
                }
                if (s.crash() && step == s.readings() / 2) {
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                    // Give the first instance time to store what it took (its commits are 5 s apart, so
                    // they stay uncommitted), then crash it.
                    Thread.sleep(500);
                    hubs.get(0).close(Duration.ZERO);
                    instances.get(0).close();
                    out.println("pipeline 0 crashed at step " + step + " (its consumer stopped without committing)");
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stored(storage) < acked.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < instances.size(); i++) {
                MonitoringPipeline p = instances.get(i);
                p.flush();
                List<KafkaSubscriberMetrics> km = hubs.get(i).isClosed() ? List.of() : hubs.get(i).kafkaMetrics();
                String parts = km.isEmpty() ? "-" : km.get(0).partitions().stream()
                        .map(l -> l.partition() + ":" + l.lag()).collect(Collectors.joining(" "));
                long lag = km.isEmpty() ? 0 : km.get(0).partitions().stream().mapToLong(PartitionLag::lag).sum();
                out.printf(Locale.ROOT, "pipeline %d%s: %d devices, %d readings (%.0f/s), %d redelivered skipped,"
                                + " lag %d (partition:lag %s)%n", i, hubs.get(i).isClosed() ? " (crashed)" : "",
                        owned.get(i).size(), p.metrics().readingsReceived(), p.metrics().readingsReceived() / seconds,
                        p.readingsRedelivered(), lag, parts);
            }
            for (MonitoringPipeline p : instances) {
                p.close();
            }
            for (KafkaStreamHub h : hubs) {
                h.close();
            }
            long lost = 0;
            for (String id : acked) {
                int at = id.indexOf('@');
                Instant ts = Instant.parse(id.substring(at + 1));
                if (storage.range(id.substring(0, at), ts, ts.plusNanos(1)).isEmpty()) {
                    lost++;
                }
            }
            long duplicated = handled.values().stream().filter(n -> n.get() > 1).count();
            if (fleetApi != null) {
                out.printf(Locale.ROOT, "API server: %d devices, %d open alerts, latest predictions of %d devices"
                                + " (from the predictions topic)%n", storage.devices().size(), alerts.active().size(),
                        fleetApi.latestPredictions().size());
            }
            out.println("lost: " + lost + " duplicated: " + duplicated);
            if (fleetApi != null) {
                out.println("serving " + fleetApi.url() + " until Ctrl-C");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "iotpm-kafka-shutdown"));
                stop.await();
            }
            return new long[] {lost, duplicated};
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static long stored(StorageBackend storage) {
        return storage.devices().stream().mapToLong(d -> d.readingCount()).sum();
    }

    /** The API server's hub: a group of its own, so it reads every partition. */
    private static KafkaStreamHub apiHub(String servers, String ns, int partitions) {
        return KafkaStreamHub.builder().bootstrapServers(servers).topicPrefix(ns).groupId(ns + "api")
                .partitions(partitions).build();
    }

    private static KafkaStreamHub hub(String servers, String ns, int partitions) {
        return KafkaStreamHub.builder().bootstrapServers(servers).topicPrefix(ns).groupId(ns + "g")
                .partitions(partitions).commitInterval(Duration.ofSeconds(5)).build();
    }
}
