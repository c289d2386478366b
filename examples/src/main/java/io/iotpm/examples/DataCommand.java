package io.iotpm.examples;

import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;

import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code ./iotpm data}: simulate a fleet's history, print a summary, optionally write JSON lines. */
final class DataCommand implements Command {

    @Override
    public String name() {
        return "data";
    }

    @Override
    public String summary() {
        return "simulate fleet history [--devices 10 --days 30 --seed 42 --failure-probability 0.05 --out FILE.jsonl]";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        int devices = args.getInt("devices", 10);
        int days = args.getInt("days", 30);
        if (days < 1) {
            throw new IllegalArgumentException("--days must be >= 1, but was " + days);
        }
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(devices).idPrefix(args.get("prefix", "PUMP_"))
                .seed(args.getInt("seed", 42)).failureProbability(args.getDouble("failure-probability", 0.05))
                .start(end.minus(Duration.ofDays(days))).build();
        String file = args.get("out", null);
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
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
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
