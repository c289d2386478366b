package io.iotpm.benchmarks;

import io.iotpm.api.IotpmServer;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many logins per second a legitimate user still gets while one address floods the login endpoint
 * with failed logins for ever-new usernames (the attack of issue 17), beside the same user's rate with
 * no flood in the same run. The flood comes from 127.0.0.1, the user from 127.0.0.2 (both loopback on
 * Linux); every login is a real PBKDF2 check (600,000 iterations).
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.LoginFloodBenchmark [seconds=20] [flooders=16]
 * </pre>
 */
public final class LoginFloodBenchmark {

    private static final String PASSWORD = "bench-password";

    private LoginFloodBenchmark() {
    }

    /**
     * Runs the baseline and the flood and prints a table.
     *
     * @param args {@code [seconds] [flooders]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int flooders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        UserStore users = UserStore.of(User.withPassword("bench", PASSWORD.toCharArray(), Role.VIEWER));
        try (StorageBackend store = StorageBackends.open("memory:");
             IotpmServer server = IotpmServer.builder().port(0).storage(store).users(users)
                     .jwtSecret("benchmark-secret-0123456789abcdef0123456789").build().start()) {
            String[] quiet = legitimate(server, seconds);
            Map<Integer, AtomicLong> flood = new TreeMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong names = new AtomicLong();
            ExecutorService attackers = Executors.newFixedThreadPool(flooders);
            for (int t = 0; t < flooders; t++) {
                attackers.execute(() -> {
                    while (!stop.get()) {
                        try {
                            int status = post(server.port(), "127.0.0.1",
                                    "{\"username\":\"spray" + names.incrementAndGet() + "\",\"password\":\"guess\"}");
                            synchronized (flood) {
                                flood.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                            }
                        } catch (IOException e) {
                            synchronized (flood) {
                                flood.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                            }
                        }
                    }
                });
            }
            Thread.sleep(1_000);   // the flood is under way before the user starts
            String[] flooded = legitimate(server, seconds);
            stop.set(true);
            attackers.shutdown();
            attackers.awaitTermination(60, TimeUnit.SECONDS);
            System.out.printf("%n%-44s %10s %10s %10s %8s%n", "legitimate user (127.0.0.2)", "logins/s", "p50", "p99", "non-200");
            System.out.printf("%-44s %10s %10s %10s %8s%n", (Object[]) quiet);
            flooded[0] = "during a flood of " + flooders + " connections (127.0.0.1)";
            System.out.printf("%-44s %10s %10s %10s %8s%n", (Object[]) flooded);
            System.out.println("flood responses by status: " + flood + " (" + names.get() + " usernames tried)");
        }
    }

    private static String[] legitimate(IotpmServer server, int seconds) throws IOException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Long> latencies = new ArrayList<>();
        int failed = 0;
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            int status = post(server.port(), "127.0.0.2", "{\"username\":\"bench\",\"password\":\"" + PASSWORD + "\"}");
            latencies.add(System.nanoTime() - t);
            if (status != 200) {
                failed++;
            }
        }
        return new String[] {"no flood", String.format("%.2f", (latencies.size() - failed) / (double) seconds),
                ApiLoadBenchmark.ms(ApiLoadBenchmark.percentile(latencies, 50)),
                ApiLoadBenchmark.ms(ApiLoadBenchmark.percentile(latencies, 99)), Integer.toString(failed)};
    }

    /** One HTTP/1.1 login from a chosen local address (Java 17's HttpClient cannot choose one). */
    private static int post(int port, String from, String json) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(120_000);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            in.transferTo(OutputStream.nullOutputStream());
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }
}
