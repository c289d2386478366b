package io.iotpm.benchmarks;

import io.iotpm.api.IotpmServer;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/devices/{id}/data?limit=100} on a real SQLite file while the simulated fleet writes
 * into the same store through the hub and the monitoring pipeline, as {@code ./iotpm api} does, beside
 * the same reads with the fleet stopped, in one run. Clients are JDK HttpClients, one per thread,
 * rotating over the devices; requests/s, p50 and p99 are over every request of the measured seconds.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.ReadWhileWritingBenchmark \
 *     [seconds=15] [clients=16] [devices=10] [periodMs=2000]
 * </pre>
 * The defaults are {@code ./iotpm api}'s fleet: 10 devices, one reading each every 2 s, 48 h stored.
 */
public final class ReadWhileWritingBenchmark {

    private ReadWhileWritingBenchmark() {
    }

    /**
     * Runs the read benchmark without and with writes and prints a table.
     *
     * @param args {@code [seconds] [clients] [devices] [periodMs]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int devices = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long periodMs = args.length > 3 ? Long.parseLong(args[3]) : 2000;
        Path dir = Files.createTempDirectory("iotpm-read-write-");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(42).start(now.minus(Duration.ofHours(48))).build();
        UserStore users = UserStore.of(User.withPassword("bench", "bench-password".toCharArray(), Role.VIEWER));
        List<String[]> rows = new ArrayList<>();
        try (StorageBackend store = StorageBackends.open("sqlite:" + dir.resolve("iot.db"));
             StreamHub hub = StreamHub.inMemory().build()) {
            store.appendAll(fleet.history(Duration.ofHours(48)).toList());
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).users(users)
                    .jwtSecret("benchmark-secret-0123456789abcdef0123456789").build().start()) {
                String token = ApiLoadBenchmark.login(server.url());
                read("warm-up", server.url(), token, devices, clients, Math.min(5, seconds), null);   // JIT, page cache
                rows.add(read("reads only", server.url(), token, devices, clients, seconds, null));
                try (MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store).build().start();
                     FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet).period(Duration.ofMillis(periodMs))
                             .build().start()) {
                    AtomicLong written = new AtomicLong();
                    long before = store.count("PUMP_001");
                    rows.add(read("while the fleet writes (" + devices + " readings / " + periodMs + " ms)", server.url(),
                            token, devices, clients, seconds, () -> written.set(store.count("PUMP_001") - before)));
                    System.out.println("readings written per device during the run: " + written.get()
                            + " (" + pipeline.getClass().getSimpleName() + ", " + streamer.published() + " published)");
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf("%n%-52s %12s %10s %10s %8s%n", "GET /api/devices/{id}/data?limit=100, SQLite", "requests/s",
                "p50", "p99", "errors");
        for (String[] r : rows) {
            System.out.printf("%-52s %12s %10s %10s %8s%n", (Object[]) r);
        }
        System.out.println("(" + clients + " client threads; " + Runtime.getRuntime().availableProcessors()
                + " cores shared by clients, server and writer)");
    }

    private static String[] read(String name, String url, String token, int devices, int clients, int seconds,
                                 Runnable after) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            results.add(pool.submit(() -> {
                HttpClient http = HttpClient.newHttpClient();
                List<Long> lat = new ArrayList<>();
                for (int i = first; System.nanoTime() < end; i++) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/devices/"
                            + String.format("PUMP_%03d", i % devices + 1) + "/data?limit=100"))
                            .header("Authorization", "Bearer " + token).build();
                    long t = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    lat.add(System.nanoTime() - t);
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        if (after != null) {
            after.run();
        }
        return new String[] {name, String.format("%.0f", all.size() / (double) seconds),
                ApiLoadBenchmark.ms(ApiLoadBenchmark.percentile(all, 50)),
                ApiLoadBenchmark.ms(ApiLoadBenchmark.percentile(all, 99)), Long.toString(errors.get())};
    }
}
