package io.iotpm.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 (durable alerts) and 17 (alert ids reused after a restart), end to end: an API process wired
 * like {@code ./iotpm api} on {@code STORAGE_URI=sqlite:...} raises alerts that a real webhook receiver
 * gets, an operator acknowledges one and silences a device, a rule is added through the API; then the
 * process is killed with SIGKILL (no shutdown hook, no close) and a new one starts on the same files.
 */
class AlertRestartTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Set<String> RAISE_EVENTS = Set.of("FIRED", "RENOTIFIED", "ESCALATED");

    @TempDir
    Path dir;

    final LinkedBlockingQueue<JsonNode> hooks = new LinkedBlockingQueue<>();
    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> children = new ArrayList<>();
    HttpServer receiver;

    @AfterEach
    void stop() {
        children.forEach(p -> p.toHandle().destroyForcibly());
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void killMinus9_thenRestart_keepsAcknowledgementsSilencesRulesAndIds_andNotifiesNothingTwice() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String storage = "sqlite:" + dir.resolve("iot.db");

        // ---- first life
        Process first = spawn(storage, hook);
        String base = "http://127.0.0.1:" + port(first);
        String admin = login(base, "admin", "password123");
        String operator = login(base, "operator", "operator123");
        assertThat(call("POST", base + "/api/rules", admin,
                "{\"name\":\"temp_hot\",\"channel\":\"temperature\",\"above\":100,\"priority\":\"high\"}").statusCode())
                .isEqualTo(201);
        assertThat(call("POST", base + "/api/readings", operator, readings(120, "PUMP_001", "PUMP_002")).statusCode())
                .isEqualTo(201);
        // temp_hot and the default limit.temperature (above 105 °C), on both devices.
        List<JsonNode> fired = raised(4);
        assertThat(fired).extracting(n -> n.at("/alert/device_id").asText())
                .containsOnly("PUMP_001", "PUMP_002");
        long hotId = alertId(base, operator, "PUMP_001", "temp_hot");
        JsonNode acked = json(call("POST", base + "/api/alerts/" + hotId + "/acknowledge", operator, null));
        assertThat(acked.get("state").asText()).isEqualTo("ACKNOWLEDGED");
        HttpResponse<String> silenced = call("POST", base + "/api/alerts/silences", operator,
                "{\"device_id\":\"PUMP_003\",\"duration_minutes\":60,\"comment\":\"bearing swap\"}");
        assertThat(silenced.statusCode()).isEqualTo(201);
        long silenceId = json(silenced).get("id").asLong();
        JsonNode before = json(call("GET", base + "/api/alerts?state=all", operator, null)).get("alerts");
        long maxIdBefore = 0;
        for (JsonNode a : before) {
            maxIdBefore = Math.max(maxIdBefore, a.get("id").asLong());
        }
        long oldIds = maxIdBefore;
        long pump2Hot = alertId(base, operator, "PUMP_002", "temp_hot");

        kill(first);
        hooks.clear();

        // ---- second life, same files
        Process second = spawn(storage, hook);
        base = "http://127.0.0.1:" + port(second);
        operator = login(base, "operator", "operator123");

        JsonNode again = json(call("GET", base + "/api/alerts/" + hotId, operator, null));
        assertThat(again.get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(again.get("acknowledged_by").asText()).isEqualTo("operator");
        assertThat(again.get("acknowledged_at").asText()).isEqualTo(acked.get("acknowledged_at").asText());
        assertThat(json(call("GET", base + "/api/rules", operator, null)).get("rules").toString()).contains("temp_hot");
        assertThat(json(call("GET", base + "/api/alerts/silences", operator, null)).get("silences"))
                .anySatisfy(s -> {
                    assertThat(s.get("id").asLong()).isEqualTo(silenceId);
                    assertThat(s.get("device_id").asText()).isEqualTo("PUMP_003");
                });

        // Still hot: the open alerts are updated, not raised again; PUMP_003 is silenced; PUMP_004 is new.
        assertThat(call("POST", base + "/api/readings", operator, readings(121, "PUMP_001", "PUMP_002", "PUMP_003"))
                .statusCode()).isEqualTo(201);
        assertThat(call("POST", base + "/api/readings", operator, readings(120, "PUMP_004")).statusCode()).isEqualTo(201);
        // One notifier thread sends in order, so anything about PUMP_001..003 would come before PUMP_004's.
        List<JsonNode> after = raised(2);
        assertThat(after).extracting(n -> n.at("/alert/device_id").asText()).containsOnly("PUMP_004");
        assertThat(after).allSatisfy(n -> assertThat(n.at("/alert/id").asLong()).isGreaterThan(oldIds));

        JsonNode pump2 = json(call("GET", base + "/api/alerts?device_id=PUMP_002", operator, null)).get("alerts");
        assertThat(pump2).hasSize(2);
        JsonNode hot2 = json(call("GET", base + "/api/alerts/" + pump2Hot, operator, null));
        assertThat(hot2.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(hot2.get("count").asLong()).isEqualTo(2);
        assertThat(hot2.get("last_value").asDouble()).isEqualTo(121.0);
        JsonNode pump3 = json(call("GET", base + "/api/alerts?device_id=PUMP_003", operator, null)).get("alerts");
        assertThat(pump3).as("silenced alerts are recorded").hasSize(2)
                .allSatisfy(a -> assertThat(a.get("id").asLong()).isGreaterThan(oldIds));
        kill(second);
        assertThat(hooks.stream().filter(n -> RAISE_EVENTS.contains(n.get("event").asText()))).isEmpty();
    }

    private Process spawn(String storage, String hook) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AlertApiChild.class.getName(), storage, hook)
                .redirectError(dir.resolve("child-" + children.size() + ".log").toFile()).start();
        children.add(p);
        return p;
    }

    /** Reads the child's {@code PORT n} line; a child that never serves is killed after two minutes. */
    private static int port(Process p) throws IOException {
        var guard = CompletableFuture.runAsync(() -> p.toHandle().destroyForcibly(),
                CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES));
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("PORT ")) {
                    return Integer.parseInt(line.substring(5).strip());
                }
            }
            throw new IllegalStateException("the API child exited with " + p.exitValue() + " before serving");
        } finally {
            guard.cancel(false);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        // SIGKILL through the handle: no shutdown hook runs, nothing is flushed or closed.
        p.toHandle().destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    /** Waits for {@code n} notifications that raise an alert (FIRED, RENOTIFIED, ESCALATED), skipping the others. */
    private List<JsonNode> raised(int n) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < n) {
            JsonNode h = hooks.poll(60, TimeUnit.SECONDS);
            assertThat(h).as("notification %d of %d", out.size() + 1, n).isNotNull();
            if (RAISE_EVENTS.contains(h.get("event").asText())) {
                out.add(h);
            }
        }
        return out;
    }

    private long alertId(String base, String token, String device, String rule) throws Exception {
        JsonNode list = json(call("GET", base + "/api/alerts?device_id=" + device + "&rule=" + rule, token, null))
                .get("alerts");
        assertThat(list).hasSize(1);
        return list.get(0).get("id").asLong();
    }

    private static String readings(double temperature, String... devices) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<SensorReading> out = new ArrayList<>();
        for (String d : devices) {
            SensorReading.Builder b = SensorReading.builder(MOTOR).deviceId(d).timestamp(now);
            MOTOR.channels().forEach(c -> b.value(c.name(), c.nominal()));
            out.add(b.value("temperature", temperature).healthScore(90).build());
        }
        return ReadingJson.of(MOTOR).writeAll(out);
    }

    private String login(String base, String user, String password) throws Exception {
        HttpResponse<String> r = call("POST", base + "/api/auth/login", null,
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("token").asText();
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
        return JSON.readTree(r.body());
    }
}
