package io.iotpm.examples.cli;

import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

/** {@code ./iotpm data}: simulate a fleet's history, print a summary, optionally write JSON lines. */
@Command(name = "data", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "simulate fleet history")
final class DataCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "10", description = "motors in the simulated fleet")
    private int devices;

    @Option(names = "--days", defaultValue = "30", description = "days of history, at least 1")
    private int days;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    @Option(names = "--failure-probability", defaultValue = "0.05", description = "chance of a developing fault")
    private double failureProbability;

    @Option(names = "--prefix", defaultValue = "PUMP_", description = "device id prefix")
    private String prefix;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the readings as JSON lines (FILE.jsonl)")
    private String file;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        if (days < 1) {
            throw new IllegalArgumentException("--days must be >= 1, but was " + days);
        }
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(devices).idPrefix(prefix)
                .seed(seed).failureProbability(failureProbability)
                .start(end.minus(Duration.ofDays(days))).build();
        long t0 = System.nanoTime();
        FleetReport report;
        if (file == null) {
            report = FleetReport.simulate(fleet, Duration.ofDays(days), r -> { });
        } else {
            ReadingJson json = ReadingJson.of(fleet.simulators().get(0).schema());
            try (BufferedWriter w = Files.newBufferedWriter(Path.of(file))) {
                report = FleetReport.simulate(fleet, Duration.ofDays(days), r -> {
                    try {
                        w.write(json.write(r));
                        w.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.print(fleet, out);
        out.printf("simulated %d days × %d devices in %.2f s (%.0f readings/s)%n", days, devices, seconds,
                report.readings() / seconds);
        if (file != null) {
            out.println("wrote " + file);
        }
        return 0;
    }
}
