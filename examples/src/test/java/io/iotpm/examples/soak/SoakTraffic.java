package io.iotpm.examples.soak;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak test's HTTP side: logs in, posts readings and counts the answers by status, and runs
 * Server-Sent-Events clients (one of them slow) that count the events they read.
 */
final class SoakTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Answers to posted requests by status code, and one example body per status. */
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    final Map<Integer, String> reasons = new ConcurrentHashMap<>();
    private volatile String token;

    SoakTraffic(String base) {
        this.base = base;
    }

    /** Logs in as the demo admin; called again before the token expires. */
    void login() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"password123\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        token = JSON.readTree(r.body()).get("token").asText();
    }

    /** Posts a body to {@code /api/readings} and counts the answer; returns the status (-1 on an I/O error). */
    int post(String body) throws InterruptedException {
        int status;
        String text;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/readings"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            text = r.body();
        } catch (IOException e) {
            status = -1;
            text = e.toString();
        }
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        reasons.putIfAbsent(status, text.length() > 160 ? text.substring(0, 160) : text);
        return status;
    }

    long count(int status) {
        AtomicLong n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** A live-stream client on its own thread; a slow one sleeps between lines. */
    final class SseClient implements AutoCloseable {
        final AtomicLong events = new AtomicLong();
        private final Thread thread;
        private volatile InputStream body;
        private volatile boolean closed;

        SseClient(String name, long pauseMillis) {
            thread = new Thread(() -> run(pauseMillis), "soak-sse-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run(long pauseMillis) {
            while (!closed) {
                try {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream"))
                            .header("Authorization", "Bearer " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    body = r.body();
                    byte[] buf = new byte[512];
                    int n;
                    while (!closed && (n = body.read(buf)) >= 0) {
                        String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
                        events.addAndGet(chunk.split("event:", -1).length - 1);
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                } catch (IOException e) {
                    // The server ended the stream (e.g. the slow client fell behind): reconnect.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                InputStream b = body;
                if (b != null) {
                    b.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread.interrupt();
        }
    }
}
