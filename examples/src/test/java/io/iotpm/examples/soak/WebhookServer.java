package io.iotpm.examples.soak;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real local HTTP server receiving alert webhooks: it answers {@link #status} after
 * {@link #delayMillis}, both changeable while it runs (a slow receiver, a failing one, one that
 * hangs past the notifier's timeout). Counts what it received.
 */
final class WebhookServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "soak-webhook");
        t.setDaemon(true);
        return t;
    });
    volatile int status;
    volatile long delayMillis;
    final AtomicLong received = new AtomicLong();

    WebhookServer(int status, long delayMillis) throws IOException {
        this.status = status;
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                received.incrementAndGet();
                // The fields, not the constructor's parameters: the soak test changes them while it runs.
                Thread.sleep(this.delayMillis);
                exchange.sendResponseHeaders(this.status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The notifier gave up (timeout) and closed the connection: expected for the slow one.
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(pool);
        server.start();
    }

    /** @param host how the URL names the loopback address (notifiers are named after the host) */
    String url(String host) {
        return "http://" + host + ":" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
