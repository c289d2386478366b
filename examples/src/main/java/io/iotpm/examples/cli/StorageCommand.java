package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.examples.showcase.StoreExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./iotpm storage}: simulate a fleet into any storage URI ({@code memory:}, {@code csv:DIR},
 * {@code sqlite:FILE}, {@code postgresql://USER@HOST:PORT/DB}, {@code redis://HOST:PORT/DB}, or a plugin's scheme), then read back its devices and latest readings.
 */
@Command(name = "storage", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "store a simulated fleet and read it back; --devices 0 only reads")
final class StorageCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--store", defaultValue = "sqlite:data/iot.db", paramLabel = "URI",
            description = "memory:, csv:DIR, sqlite:FILE, postgresql://USER@HOST:PORT/DB (password in PGPASSWORD),"
                    + " redis://HOST:PORT/DB or a plugin's scheme")
    private String uri;

    @Option(names = "--devices", defaultValue = "5", description = "motors to simulate and store; 0 only reads")
    private int devices;

    @Option(names = "--days", defaultValue = "1", description = "days of history, at least 1")
    private int days;

    @Option(names = "--seed", defaultValue = "42", description = "seed of every random process")
    private long seed;

    @Option(names = "--latest", defaultValue = "5", description = "latest readings to print, at least 1")
    private int latest;

    @Option(names = "--prefix", defaultValue = "PUMP_", description = "device id prefix")
    private String prefix;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        if (devices < 0 || days < 1 || latest < 1) {
            throw new IllegalArgumentException("need --devices >= 0, --days >= 1 and --latest >= 1, but got "
                    + devices + ", " + days + ", " + latest);
        }
        out.println("schemes on the class path: " + String.join(", ", StorageBackends.builder().discover().build().schemes()));
        try (StorageBackend store = StorageBackends.open(uri)) {
            if (devices > 0) {
                Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                Fleet fleet = Fleet.builder().devices(devices).idPrefix(prefix)
                        .seed(seed).failureProbability(0.08)
                        .start(end.minus(Duration.ofDays(days))).build();
                long t0 = System.nanoTime();
                long n = StoreExample.storeHistory(fleet, Duration.ofDays(days), store);
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf("stored %,d readings and %d events in %s (%.2f s incl. simulation, %,.0f readings/s)%n",
                        n, fleet.events().size(), uri, s, n / s);
            }
            print(store, latest, out);
        }
        return 0;
    }

    static void print(StorageBackend store, int latest, PrintStream out) {
        List<DeviceInfo> devices = store.devices();
        out.printf("%-12s %-22s %10s %8s%n", "device", "last seen", "readings", "events");
        for (DeviceInfo d : devices) {
            int events = store.events(d.deviceId(), Instant.EPOCH, d.lastSeen().plusSeconds(1)).size();
            out.printf("%-12s %-22s %,10d %8d%n", d.deviceId(), d.lastSeen(), d.readingCount(), events);
        }
        if (!devices.isEmpty()) {
            String first = devices.get(0).deviceId();
            out.println("latest " + latest + " of " + first + " (newest first):");
            for (SensorReading r : store.latest(first, latest)) {
                out.printf("  %s  temperature %6.2f °C  vibration_x %5.2f mm/s  health %5.1f%n", r.timestamp(),
                        r.value("temperature"), r.value("vibration_x"), r.healthScore());
            }
        }
    }

    /** The demo's storage step: one simulated day of the fleet into SQLite in a temporary folder. */
    static void demoStep(int devices, long seed, PrintStream out) throws Exception {
        Path tmp = Files.createTempDirectory("iotpm-demo-");
        Path db = tmp.resolve("iot.db");
        try {
            Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(0.08)
                    .start(end.minus(Duration.ofDays(1))).build();
            try (StorageBackend store = StorageBackends.open("sqlite:" + db)) {
                long t0 = System.nanoTime();
                long n = StoreExample.storeHistory(fleet, Duration.ofDays(1), store);
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf("stored %,d readings (one day) in sqlite:%s in %.2f s; reading back:%n", n, db, s);
                print(store, 3, out);
            }
            out.println("(keep a store: ./iotpm storage --store sqlite:data/iot.db, or csv:data/csv, or memory:)");
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
