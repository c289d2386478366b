package io.iotpm.examples.cli;

import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.sim.Fleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./iotpm demo}: a newcomer's tour, on embedded defaults, one numbered step per capability
 * in the order data flows: simulate, store, stream, alert, learn, interoperate, serve.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "the whole tour on embedded defaults")
final class DemoCommand implements Callable<Integer> {

    /** One step of the tour. */
    private interface Step {
        void run() throws Exception;
    }

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "10", description = "motors in the simulated fleet")
    private int devices;

    @Option(names = "--days", defaultValue = "7", description = "days of history to simulate")
    private int days;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    private int stepNumber;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        stepNumber = 0;

        step(out, "Simulate a fleet: " + devices + " industrial motors, " + days + " days at 1-minute resolution"
                + " (./iotpm data)", () -> {
            Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed)
                    .failureProbability(0.08).start(end.minus(Duration.ofDays(days))).build();
            long t0 = System.nanoTime();
            FleetReport report = FleetReport.simulate(fleet, Duration.ofDays(days), r -> { });
            double seconds = (System.nanoTime() - t0) / 1e9;
            report.print(fleet, out);
            out.printf("(%.0f readings/s)%n", report.readings() / seconds);
        });
        step(out, "Store it: SQLite file, read back devices and latest readings (./iotpm storage)",
                () -> StorageCommand.demoStep(devices, seed, out));
        step(out, "Stream a simulated hour through the hub and the monitoring pipeline (./iotpm streaming)",
                () -> StreamingCommand.demoStep(out, devices, seed));
        step(out, "Devices over MQTT: 20 simulated devices publish for 3 s to a broker (MQTT_URL, else embedded), "
                + "ingest -> pipeline, alerts and predictions back (./iotpm mqtt)",
                () -> MqttCommand.demoStep(out, IotpmConfig.fromEnvironment(), seed));
        step(out, "Scale out on Kafka: 2 pipelines share an embedded broker's partitions, one crashes mid-stream"
                + " (./iotpm kafka)", () -> KafkaCommand.demoStep(out, seed));
        step(out, "Alerts: default rules on 5 motors over 2 days, with injected sensor faults (./iotpm alert)",
                () -> AlertCommand.demoStep(out, seed));
        step(out, "Learn failures: the LSTM on 6 simulated motors (30 days, 10-minute steps), "
                + "predictions for each (./iotpm model)", () -> {
            MlSupport.quietOffline();
            // ./iotpm model's task and network (window 36, failure within 36 steps, LSTM 32 -> 16, lr 0.003) on less:
            // a month of data is cheap to simulate and gives 4x the failures of a week; a stride of 6 and 10 epochs
            // keep the training to a few seconds.
            ModelCommand.trainAndEvaluate(new ModelCommand.Settings(6, 30, 10, seed, 10, 36, 36, new int[] {32, 16}, 6, 6,
                    6, 4, 0.003), out, false).close();
        });
        step(out, "Learn without failure labels: an LSTM autoencoder beside the supervised LSTM on unseen motors"
                + " (./iotpm anomaly)", () -> AnomalyCommand.demoStep(out, seed));
        step(out, "TensorFlow interop: export an LSTM as a SavedModel, serve it back (./iotpm tensorflow)", () -> {
            Path tfDir = Files.createTempDirectory("iotpm-demo-tf-");
            try {
                TensorFlowCommand.exportAndServe(tfDir.resolve("model"), 256, seed, out);
            } finally {
                deleteTree(tfDir);
            }
        });
        step(out, "REST API: log in, list devices, read data, bad input gets JSON errors (./iotpm api)", () -> {
            ApiCommand.demo(seed, out);
            out.println("  the same server serves the web dashboard at / : ./iotpm dashboard, then open http://127.0.0.1:5000/");
        });
        return 0;
    }

    private void step(PrintStream out, String title, Step step) throws Exception {
        if (stepNumber > 0) {
            out.println();
        }
        out.println("== " + (++stepNumber) + ". " + title + " ==");
        step.run();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
