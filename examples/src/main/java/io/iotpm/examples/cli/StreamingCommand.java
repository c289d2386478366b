package io.iotpm.examples.cli;

import io.iotpm.core.HealthStatus;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.TimeSource;
import io.iotpm.core.stream.Topic;
import io.iotpm.examples.showcase.BaselinePredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./iotpm streaming}: the original {@code start_streaming}. Simulated devices stream through
 * the hub into a monitoring pipeline (storage); a data callback subscribed to the readings prints a
 * live line every second.
 */
@Command(name = "streaming", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "stream simulated devices live through the hub")
final class StreamingCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "5", description = "motors streaming")
    private int devices;

    @Option(names = "--seconds", defaultValue = "10", description = "how long to stream, at least 1")
    private int seconds;

    @Option(names = "--period-ms", defaultValue = "1000", description = "wall-clock time between steps")
    private int periodMs;

    @Option(names = "--sim-interval-s", defaultValue = "60", description = "simulated time between steps")
    private int simInterval;

    @Option(names = "--storage", defaultValue = "memory:", paramLabel = "URI", description = "where the pipeline stores")
    private String uri;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        if (seconds < 1) {
            throw new IllegalArgumentException("--seconds must be >= 1, but was " + seconds);
        }
        if (periodMs < 1) {
            throw new IllegalArgumentException("--period-ms must be >= 1, but was " + periodMs);
        }
        if (simInterval < 1) {
            throw new IllegalArgumentException("--sim-interval-s must be >= 1, but was " + simInterval);
        }
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed)
                .failureProbability(0.2).interval(Duration.ofSeconds(simInterval))
                .start(Instant.now().truncatedTo(ChronoUnit.SECONDS)).build();
        out.printf(Locale.ROOT, "streaming %d devices for %d s: one reading per device every %d ms (simulated %d s apart),"
                + " storage %s%n", devices, seconds, periodMs, simInterval, uri);

        Map<String, SensorReading> latest = new ConcurrentHashMap<>();
        AtomicLong count = new AtomicLong();
        try (StreamHub hub = StreamHub.inMemory().build();
             StorageBackend storage = StorageBackends.open(uri)) {
            // The data callback of the original: a live view, so it may drop the oldest if it falls behind.
            Subscription console = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("console")
                    .capacity(1024).overflow(Overflow.DROP_OLDEST).build(), r -> {
                        latest.put(r.deviceId(), r);
                        count.incrementAndGet();
                    });
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage)
                    .batchSize(100).build().start();
            FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).period(Duration.ofMillis(periodMs))
                    .build().start();
            long t0 = System.nanoTime();
            long last = 0;
            for (int s = 1; s <= seconds; s++) {
                long wait = t0 + s * 1_000_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long n = count.get();
                out.println(line(s, n - last, latest, console.metrics(), pipeline.metrics()));
                last = n;
            }
            streamer.close();
            pipeline.close();
            PipelineMetrics m = pipeline.metrics();
            out.printf(Locale.ROOT, "done: %d readings published, %d stored, %d storage errors, console dropped %d%n",
                    streamer.published(), m.readingsStored(), m.storageErrors(), console.metrics().dropped());
        }
        return 0;
    }

    private static String line(int second, long perSecond, Map<String, SensorReading> latest, SubscriberMetrics console,
                               PipelineMetrics pipeline) {
        SensorReading worst = null;
        EnumMap<HealthStatus, Integer> statuses = new EnumMap<>(HealthStatus.class);
        for (SensorReading r : latest.values()) {
            statuses.merge(r.status(), 1, Integer::sum);
            if (worst == null || r.healthScore() < worst.healthScore()) {
                worst = r;
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%3ds] %4d readings/s  stored %6d", second, perSecond,
                pipeline.readingsStored()));
        if (worst != null) {
            b.append(String.format(Locale.ROOT, "  worst %s health %5.1f %-8s T=%5.1f°C vib_x=%.2f", worst.deviceId(),
                    worst.healthScore(), worst.status(), worst.value("temperature"), worst.value("vibration_x")));
        }
        b.append("  ").append(statuses);
        b.append(String.format(Locale.ROOT, "  lag %d dropped %d", console.lag(), console.dropped()));
        return b.toString();
    }

    /**
     * The demo's streaming step: a simulated hour of a fleet, one reading per device per second,
     * streamed in accelerated (virtual) time through the hub and the monitoring pipeline.
     */
    static void demoStep(PrintStream out, int devices, long seed) throws Exception {
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(0.5)
                .interval(Duration.ofSeconds(1)).start(Instant.now().truncatedTo(ChronoUnit.SECONDS)).build();
        EnumMap<RiskLevel, Long> risks = new EnumMap<>(RiskLevel.class);
        try (StreamHub hub = StreamHub.inMemory().build();
             StorageBackend storage = StorageBackends.open("memory:")) {
            Subscription dashboard = hub.subscribe(Topic.PREDICTIONS, SubscriberOptions.builder().name("dashboard")
                    .overflow(Overflow.DROP_OLDEST).build(), (Prediction p) -> {
                        synchronized (risks) {
                            risks.merge(p.riskLevel(), 1L, Long::sum);
                        }
                    });
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage)
                    .predictor(new BaselinePredictor(fleet.simulators().get(0).schema(), 60))
                    .predictEvery(Duration.ofMinutes(1)).predictionBatchSize(devices).build().start();
            FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).period(Duration.ofSeconds(1))
                    .steps(3600).timeSource(TimeSource.virtual()).build();
            long t0 = System.nanoTime();
            streamer.start();
            streamer.awaitCompletion(Duration.ofMinutes(2));
            pipeline.close();
            dashboard.awaitIdle(Duration.ofSeconds(10));
            double s = (System.nanoTime() - t0) / 1e9;
            PipelineMetrics m = pipeline.metrics();
            out.printf(Locale.ROOT, "streamed %,d readings (%d devices × 3,600 s of simulated time) in %.2f s (%,.0f readings/s)%n",
                    streamer.published(), devices, s, streamer.published() / s);
            out.printf(Locale.ROOT, "pipeline: stored %,d in %d batches, %d storage errors; %,d predictions in %d micro-batches "
                    + "(baseline rule predictor, 60-reading windows, one per device per simulated minute)%n",
                    m.readingsStored(), m.storageBatches(), m.storageErrors(), m.predictions(), m.predictionBatches());
            synchronized (risks) {
                out.println("risk levels seen by the dashboard subscriber: " + risks);
            }
            out.println("hub subscribers: ");
            for (SubscriberMetrics sm : hub.metrics()) {
                out.printf(Locale.ROOT, "  %-10s %-11s %-11s delivered %,9d  dropped %d  failed %d  lag %d%n", sm.subscriber(),
                        sm.topic(), sm.overflow(), sm.delivered(), sm.dropped(), sm.failed(), sm.lag());
            }
        }
    }
}
