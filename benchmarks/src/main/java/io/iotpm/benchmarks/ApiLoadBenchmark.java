package io.iotpm.benchmarks;

import io.iotpm.api.IotpmServer;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.javalin.Javalin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of the REST API on loopback, driven by {@code wrk} (Debian: {@code apt-get install -y wrk}):
 * <ol>
 *   <li>{@code GET /api/devices/{id}/data?limit=100}: JWT check, latest 100 readings from a real SQLite
 *       file, JSON rendering; rotating over 10 devices;</li>
 *   <li>{@code POST /api/readings} with a 100-reading batch: JWT, strict parsing, one SQLite transaction;</li>
 * </ol>
 * each beside raw baselines in the same run: the same HTTP stack serving pre-rendered bytes (no auth,
 * no storage, no JSON), and the in-process storage + JSON work without HTTP.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.ApiLoadBenchmark [seconds=10] [connections=16]
 * </pre>
 * wrk and the server share the machine's cores, so absolute numbers understate a server with cores of its own.
 */
public final class ApiLoadBenchmark {

    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();
    private static final ReadingJson JSON = ReadingJson.of(SCHEMA);
    private static final int DEVICES = 10;
    private static final int READINGS_PER_DEVICE = 10_000;
    private static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";

    private ApiLoadBenchmark() {
    }

    /**
     * Runs every scenario and prints a table.
     *
     * @param args {@code [seconds] [connections]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path dir = Files.createTempDirectory("iotpm-api-bench-");
        List<String[]> rows = new ArrayList<>();
        try (StorageBackend store = StorageBackends.open("sqlite:" + dir.resolve("bench.db"))) {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int d = 0; d < DEVICES; d++) {
                store.appendAll(SensorSimulator.builder().deviceId(String.format("PUMP_%03d", d)).seed(d).start(start)
                        .build().history(Duration.ofMinutes(READINGS_PER_DEVICE)).toList());
            }
            UserStore users = UserStore.of(User.withPassword("bench", "bench-password".toCharArray(), Role.OPERATOR));
            byte[] sample;
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).users(users).jwtSecret(SECRET)
                    .maxBodyBytes(4 << 20).build().start()) {
                String token = login(server.url());
                sample = get(server.url() + "/api/devices/PUMP_000/data?limit=100", token);
                Javalin raw = Javalin.create(c -> {
                    c.startup.showJavalinBanner = false;
                    c.routes.get("/raw", ctx -> ctx.contentType("application/json").result(sample));
                    c.routes.post("/raw", ctx -> ctx.status(201).contentType("application/json")
                            .result("{\"accepted\":" + ctx.bodyAsBytes().length + "}"));
                }).start("127.0.0.1", 0);
                try {
                    Path getLua = lua(dir, "get.lua", token, null);
                    String batch = JSON.writeAll(SensorSimulator.builder().deviceId("INGEST_1").seed(99).start(start)
                            .build().history(Duration.ofMinutes(100)).toList());
                    Path postLua = lua(dir, "post.lua", token, batch);
                    String rawUrl = "http://127.0.0.1:" + raw.port() + "/raw";
                    rows.add(wrk("baseline: same HTTP stack, pre-rendered bytes", rawUrl, null, seconds, connections));
                    rows.add(inProcessGet(store, seconds));
                    rows.add(wrk("GET /api/devices/{id}/data?limit=100 (SQLite)",
                            server.url() + "/api/devices/PUMP_000/data?limit=100", getLua, seconds, connections));
                    rows.add(wrk("baseline: same HTTP stack, POST 100-reading body", rawUrl,
                            lua(dir, "rawpost.lua", token, batch), seconds, Math.max(2, connections / 2)));
                    rows.add(inProcessIngest(store, batch, seconds));
                    rows.add(wrk("POST /api/readings, 100 readings/request (SQLite)", server.url() + "/api/readings",
                            postLua, seconds, Math.max(2, connections / 2)));
                } finally {
                    raw.stop();
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf("%n%-52s %12s %10s %10s %8s%n", "scenario", "requests/s", "p50", "p99", "errors");
        for (String[] r : rows) {
            System.out.printf("%-52s %12s %10s %10s %8s%n", (Object[]) r);
        }
        System.out.println("(" + Runtime.getRuntime().availableProcessors() + " cores shared by wrk and the server)");
    }

    private static String[] inProcessGet(StorageBackend store, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long bytes = 0;
        List<Long> lat = new ArrayList<>();
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            List<SensorReading> page = new ArrayList<>(store.latest(String.format("PUMP_%03d", n % DEVICES), 100));
            Collections.reverse(page);
            bytes += JSON.writeAll(page).length();
            lat.add(System.nanoTime() - t);
            n++;
        }
        return new String[] {"baseline: in-process latest(100) + JSON, 1 thread", String.format("%.0f", n / (double) seconds),
                ms(percentile(lat, 50)), ms(percentile(lat, 99)), bytes > 0 ? "0" : "?"};
    }

    private static String[] inProcessIngest(StorageBackend store, String batch, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        List<Long> lat = new ArrayList<>();
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            store.appendAll(JSON.readAll(batch));
            lat.add(System.nanoTime() - t);
            n++;
        }
        return new String[] {"baseline: in-process parse + appendAll(100), 1 thread", String.format("%.0f", n / (double) seconds),
                ms(percentile(lat, 50)), ms(percentile(lat, 99)), "0"};
    }

    static long percentile(List<Long> values, int p) {
        Collections.sort(values);
        return values.get(Math.min(values.size() - 1, (int) Math.ceil(p / 100.0 * values.size()) - 1));
    }

    static String ms(long nanos) {
        return String.format("%.2fms", nanos / 1e6);
    }

    private static Path lua(Path dir, String name, String token, String body) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
        if (body != null) {
            s.append("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
            s.append("wrk.body = [==[").append(body).append("]==]\n");
        } else {
            // Rotate over the devices so the benchmark does not hit one hot row set only.
            s.append("local n = 0\nrequest = function()\n  n = n + 1\n")
                    .append("  return wrk.format(nil, string.format(\"/api/devices/PUMP_%03d/data?limit=100\", n % ")
                    .append(DEVICES).append("))\nend\n");
        }
        Path p = dir.resolve(name);
        Files.writeString(p, s.toString());
        return p;
    }

    private static String[] wrk(String name, String url, Path script, int seconds, int connections)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (script != null) {
            cmd.add("-s");
            cmd.add(script.toString());
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.append(line).append('\n');
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        String o = out.toString();
        long non2xx = find(o, "Non-2xx or 3xx responses: (\\d+)");
        long socket = 0;
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(o);
        if (m.find()) {
            for (int i = 1; i <= 4; i++) {
                socket += Long.parseLong(m.group(i));
            }
        }
        return new String[] {name, text(o, "Requests/sec:\\s+([0-9.]+)"), text(o, "\\s50%\\s+([0-9.]+[a-z]+)"),
                text(o, "\\s99%\\s+([0-9.]+[a-z]+)"), Long.toString(non2xx + socket)};
    }

    private static long find(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String text(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        return m.find() ? m.group(1) : "?";
    }

    static String login(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bench\",\"password\":\"bench-password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static byte[] get(String url, String token) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }
}
