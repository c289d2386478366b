package io.iotpm.examples.cli;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * The CLI's default MQTT broker when {@code MQTT_URL} is unset: Moquette in this JVM, on a free port
 * of 127.0.0.1, in memory (nothing written to disk), anonymous, telemetry off (no network but the port). A demo convenience, not a
 * production broker: a plant runs mosquitto or another broker and sets {@code MQTT_URL}.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final Server server = new Server();
    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
    }

    static EmbeddedBroker start() {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded MQTT broker", e);
        }
        EmbeddedBroker broker = new EmbeddedBroker(port);
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("use_metrics", "false");
        // Moquette otherwise "calls home" with usage telemetry and writes data/.moquette_uuid in the working folder.
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.epoll", "false");
        try {
            broker.server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker: " + e.getMessage(), e);
        }
        return broker;
    }

    /** @return {@code tcp://127.0.0.1:PORT} */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
