package io.iotpm.test.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker for tests: started on a free port of 127.0.0.1 in its own temporary
 * folder with a generated configuration, killed and deleted on {@link #close()}. Nothing is shared
 * with a system broker on 1883.
 *
 * <pre>{@code
 * try (MosquittoServer broker = MosquittoServer.builder().persistence(true).user("plant", "pw").start()) {
 *     broker.url();        // tcp://127.0.0.1:PORT
 *     broker.restart();    // SIGTERM (the broker saves its sessions and queued messages), then start again
 * }
 * }</pre>
 *
 * <p>The broker queues without limit for a slow or offline persistent session
 * ({@code max_queued_messages 0}): Mosquitto's default of 1,000 would drop QoS-1 messages, which is
 * what the tests of a lossless client must not see. The binary is {@code mosquitto} on the
 * {@code PATH} or in {@code /usr/sbin} (Debian package {@code mosquitto}), or the file named by the
 * {@code MOSQUITTO} environment variable. When it is missing the test is aborted as skipped with a
 * message saying what to install; under {@code CI=true} it fails instead.
 */
public final class MosquittoServer implements AutoCloseable {

    private static final String PACKAGE_HINT = "install the Debian package 'mosquitto' (apt-get install mosquitto) "
            + "or set MOSQUITTO to the binary";

    private final Path binary;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final ServerProcess process;

    private MosquittoServer(Builder b, Path binary) throws IOException {
        this.binary = binary;
        this.dir = Files.createTempDirectory("iotpm-mosquitto-");
        this.port = ServerProcess.freePort();
        this.tlsPort = b.tlsCert != null ? ServerProcess.freePort() : -1;
        boolean users = !b.users.isEmpty();
        if (users) {
            writePasswords(b.users);
        }
        Files.writeString(dir.resolve("mosquitto.conf"), config(b, users));
        this.process = new ServerProcess("mosquitto", List.of(binary.toString(), "-c",
                dir.resolve("mosquitto.conf").toString()), dir, port, "answer a CONNECT", this::ready, this::log);
    }

    /** @return a builder for an anonymous broker without persistence */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts an anonymous broker without persistence.
     *
     * @return the running broker
     */
    public static MosquittoServer start() {
        return builder().start();
    }

    private String config(Builder b, boolean users) {
        List<String> lines = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous " + !users,
                // Run as ourselves: as root Mosquitto would switch to user 'mosquitto', who cannot read this folder.
                "user " + System.getProperty("user.name"),
                "max_queued_messages 0",
                "max_queued_bytes 0",
                "log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath(),
                "log_type error",
                "log_type warning",
                "log_type notice"));
        if (users) {
            lines.add("password_file " + dir.resolve("passwords").toAbsolutePath());
        }
        if (b.tlsCert != null) {
            // A second listener speaking TLS only; per_listener_settings is off, so users apply to both.
            lines.addAll(List.of(
                    "listener " + tlsPort + " 127.0.0.1",
                    "certfile " + b.tlsCert.toAbsolutePath(),
                    "keyfile " + b.tlsKey.toAbsolutePath()));
        }
        if (b.persistence) {
            lines.addAll(List.of(
                    "persistence true",
                    "persistence_location " + dir.toAbsolutePath() + File.separator,
                    "autosave_interval 1"));
        }
        lines.addAll(b.extra);
        return String.join("\n", lines) + "\n";
    }

    private void writePasswords(Map<String, String> users) throws IOException {
        Path file = dir.resolve("passwords");
        Path tool = binary.resolveSibling("mosquitto_passwd");
        if (!Files.isExecutable(tool)) {
            tool = Path.of("/usr/bin/mosquitto_passwd");
        }
        boolean first = true;
        for (Map.Entry<String, String> u : users.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(tool.toString()));
            if (first) {
                cmd.add("-c");
            }
            cmd.addAll(List.of("-b", file.toString(), u.getKey(), u.getValue()));
            first = false;
            run(cmd);
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0), e);
        }
    }

    /** Any CONNACK (also "not authorised") means the broker listens and speaks MQTT. */
    private boolean ready() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            // MQTT 3.1.1 CONNECT: protocol "MQTT" level 4, clean session, keep-alive 10 s, client id "probe".
            byte[] connect = {0x10, 17, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10, 0, 5, 'p', 'r', 'o', 'b', 'e'};
            out.write(connect);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() == 0x20;
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("mosquitto.log");
            Path output = dir.resolve(process.outputFile());
            String out = Files.exists(output) ? Files.readString(output) : "";
            return (Files.exists(log) ? Files.readString(log) : "") + out;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** @return the port it listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return {@code 127.0.0.1} */
    public String host() {
        return "127.0.0.1";
    }

    /** @return {@code tcp://127.0.0.1:PORT}, the URL clients connect to */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /**
     * @return {@code ssl://127.0.0.1:PORT} of the TLS listener
     * @throws IllegalStateException if the broker was built without {@link Builder#tls(Path, Path)}
     */
    public String tlsUrl() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this broker has no TLS listener: build it with tls(cert, key)");
        }
        return "ssl://127.0.0.1:" + tlsPort;
    }

    /** @return the broker's folder (configuration, log, persistence file) */
    public Path dir() {
        return dir;
    }

    /** @return the process id of the running broker, or -1 when it is not running */
    public long pid() {
        return process.pid();
    }

    /** @return whether the broker process is running */
    public boolean isRunning() {
        return process.isRunning();
    }

    /** Kills the broker with SIGKILL, as a crash would: what it did not autosave is lost. */
    public void kill() {
        process.kill();
    }

    /** Stops the broker with SIGTERM (with persistence on, it saves sessions and queued messages) and waits. */
    public void stop() {
        process.stop();
    }

    /** Stops the broker if it runs (gracefully), then starts it again on the same port with the same folder. */
    public void restart() {
        process.restart();
    }

    /** Kills the broker and deletes its folder. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "mosquitto on 127.0.0.1:" + port + " in " + dir;
    }

    /** Finds the binary, fails or skips when it is missing. */
    static Path binary() {
        return binary(System.getenv(), List.of(Path.of("/usr/sbin"), Path.of("/usr/bin")));
    }

    /**
     * @param env       the environment: {@code MOSQUITTO}, {@code PATH}, {@code CI}
     * @param fallbacks folders searched after {@code PATH}
     */
    static Path binary(Map<String, String> env, List<Path> fallbacks) {
        return ServerProcesses.binary(env, fallbacks, "MOSQUITTO", "mosquitto", PACKAGE_HINT);
    }

    /** Configures a {@link MosquittoServer}; {@link #start()} launches it. */
    public static final class Builder {
        private boolean persistence;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> extra = new ArrayList<>();
        private Path tlsCert;
        private Path tlsKey;

        private Builder() {
        }

        /**
         * Adds a TLS listener on a second free port ({@link MosquittoServer#tlsUrl()}).
         *
         * @param certPem the server certificate (chain), PEM; its subject alternative names must cover 127.0.0.1
         * @param keyPem  its private key, PEM (PKCS#8 or PKCS#1)
         * @return this builder
         */
        public Builder tls(Path certPem, Path keyPem) {
            this.tlsCert = Objects.requireNonNull(certPem, "certPem");
            this.tlsKey = Objects.requireNonNull(keyPem, "keyPem");
            return this;
        }

        /**
         * @param persistence whether the broker keeps sessions, subscriptions and queued QoS-1 messages
         *                    across a restart (saved every second and on SIGTERM); default {@code false}
         * @return this builder
         */
        public Builder persistence(boolean persistence) {
            this.persistence = persistence;
            return this;
        }

        /**
         * Adds a user; with at least one, anonymous clients are refused.
         *
         * @param name     user name, no colon, spaces or newlines
         * @param password the password, non-empty without newlines
         * @return this builder
         */
        public Builder user(String name, String password) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("user name must match [A-Za-z0-9_.-]{1,64}, but was '" + name + "'");
            }
            if (password.isEmpty() || password.contains("\n")) {
                throw new IllegalArgumentException("password must be non-empty without newlines");
            }
            users.put(name, password);
            return this;
        }

        /**
         * @param line one more line of {@code mosquitto.conf}, e.g. {@code max_inflight_messages 100}
         * @return this builder
         */
        public Builder config(String line) {
            Objects.requireNonNull(line, "line");
            if (line.contains("\n")) {
                throw new IllegalArgumentException("config line must be one line, but was '" + line + "'");
            }
            extra.add(line);
            return this;
        }

        /**
         * Starts the broker and waits until it answers a CONNECT.
         *
         * @return the running broker; the caller closes it
         * @throws IllegalStateException when it does not start (with its log) or, under {@code CI=true},
         *                               when {@code mosquitto} is missing
         */
        public MosquittoServer start() {
            Path binary = binary();
            return ServerProcess.launchOnFreshPorts("mosquitto", () -> new MosquittoServer(this, binary), s -> s.process,
                    MosquittoServer::close);
        }
    }
}
