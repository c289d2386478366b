package io.iotpm.alerts.notify;

import com.sun.net.httpserver.HttpServer;
import io.iotpm.alerts.Notifier;
import io.iotpm.test.alerts.NotifierContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The webhook notifier passes the notifier contract against a local HTTP server. */
class WebhookNotifierContractTest extends NotifierContract {

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static WebhookNotifier hook(int port) {
        return WebhookNotifier.builder("http://127.0.0.1:" + port + "/hook?key=query-secret")
                .header("Authorization", "Bearer token-secret").build();
    }

    @Override
    protected Notifier createNotifier() {
        return hook(server.getAddress().getPort());
    }

    @Override
    protected List<String> received() {
        return List.copyOf(bodies);
    }

    @Override
    protected List<String> secrets() {
        return List.of("query-secret", "token-secret");
    }

    @Override
    protected Notifier unreachableNotifier() {
        try (ServerSocket s = new ServerSocket(0)) {
            return hook(s.getLocalPort());   // closed when the notifier sends
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
