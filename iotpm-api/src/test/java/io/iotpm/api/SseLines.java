package io.iotpm.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lines of a live (SSE) response, read on a daemon thread so a test waits for a line with a deadline.
 * Reading the body's iterator directly never times out: the server's heartbeats keep it alive forever,
 * so a missing event would hang the build instead of failing the test.
 */
final class SseLines implements AutoCloseable {

    /** How long a test waits for an expected line: generous, it only matters when something is wrong. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final String END = new String("end of stream");

    final HttpResponse<Stream<String>> response;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile Throwable failure;

    private SseLines(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() != 200) {
            return;
        }
        Thread reader = new Thread(() -> {
            try {
                Iterator<String> it = response.body().iterator();
                while (it.hasNext()) {
                    lines.add(it.next());
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                lines.add(END);
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with {@code Accept: text/event-stream} and the bearer token, if any. */
    static SseLines open(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return new SseLines(HttpClient.newHttpClient().sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofLines())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    int status() {
        return response.statusCode();
    }

    /**
     * Waits for the next line starting with {@code prefix}, skipping others (heartbeats, other events).
     *
     * @throws AssertionError if the stream ends or no such line arrives within {@link #WAIT}
     */
    String next(String prefix) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + WAIT);
            }
            if (line == END) {
                lines.add(END);
                throw new AssertionError("stream ended before a line starting with '" + prefix + "'", failure);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Waits for the stream to end (the server closed it); a connection reset counts as ended too.
     *
     * @return whether it ended within {@link #WAIT}
     */
    boolean awaitEnd() throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        for (String line; (line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (line == END) {
                lines.add(END);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
