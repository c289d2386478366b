package io.iotpm.test.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real {@code redis-server} for tests: started on a free port of 127.0.0.1 in its own temporary
 * folder with a generated configuration, killed and deleted on {@link #close()}. Nothing is shared
 * with a system Redis on 6379.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().persistence(RedisServer.Persistence.AOF_ALWAYS).start()) {
 *     StorageBackends.open(redis.uri());   // redis://127.0.0.1:PORT/0
 *     redis.kill();                         // SIGKILL, as a crash would
 *     redis.restart();                      // same port, folder and files
 * }
 * }</pre>
 *
 * <p>The binary is {@code redis-server} on the {@code PATH} (Debian package {@code redis-server}),
 * or the file named by the {@code REDIS_SERVER} environment variable. When it is missing the test
 * is aborted as skipped with a message saying what to install; under {@code CI=true} it fails
 * instead, so a CI machine without Redis cannot pass silently.
 */
public final class RedisServer implements AutoCloseable {

    /** What the server writes to disk, i.e. what a crash of the server can lose. */
    public enum Persistence {
        /** Nothing: a restart starts empty. */
        NONE,
        /** Append-only file, fsync once a second: a machine crash loses up to about a second. */
        AOF_EVERYSEC,
        /** Append-only file, fsync before each write is acknowledged. */
        AOF_ALWAYS
    }

    private final Path dir;
    private final int port;
    private final String password;
    private final ServerProcess process;

    private RedisServer(Builder b, Path binary) throws IOException {
        this.password = b.password;
        this.dir = b.parent == null ? Files.createTempDirectory("iotpm-redis-")
                : Files.createTempDirectory(b.parent, "iotpm-redis-");
        this.port = ServerProcess.freePort();
        Files.writeString(dir.resolve("redis.conf"), config(b.persistence));
        this.process = new ServerProcess("redis-server", List.of(binary.toString(), dir.resolve("redis.conf").toString()),
                dir, port, "answer PING", this::ready, this::log);
    }

    /** @return a builder for a server without persistence and without a password */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a server without persistence.
     *
     * @return the running server
     */
    public static RedisServer start() {
        return builder().start();
    }

    private String config(Persistence persistence) {
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind 127.0.0.1",
                "daemonize no",
                "dir " + dir.toAbsolutePath(),
                "logfile " + dir.resolve("redis.log").toAbsolutePath(),
                "save \"\""));
        switch (persistence) {
            case NONE -> lines.add("appendonly no");
            case AOF_EVERYSEC -> lines.addAll(List.of("appendonly yes", "appendfsync everysec"));
            case AOF_ALWAYS -> lines.addAll(List.of("appendonly yes", "appendfsync always"));
        }
        if (password != null) {
            lines.add("requirepass " + password);
        }
        return String.join("\n", lines) + "\n";
    }

    /** PONG, after AUTH when there is a password; not LOADING (an AOF still being replayed). */
    private boolean ready() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            String auth = password == null ? "" : resp("AUTH", password);
            out.write((auth + resp("PING")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = readLine(in);
            if (password != null) {
                if (!reply.startsWith("+OK")) {
                    return false;
                }
                reply = readLine(in);
            }
            return reply.startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }

    private String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve(process.outputFile()));
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

    /** @return {@code redis://127.0.0.1:PORT/0}, the storage URI of database 0 */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** @return the server's folder (configuration, log, append-only files) */
    public Path dir() {
        return dir;
    }

    /** @return whether the server process is running */
    public boolean isRunning() {
        return process.isRunning();
    }

    /** Kills the server with SIGKILL, as a crash would: nothing is flushed. */
    public void kill() {
        process.kill();
    }

    /** Stops the server with SIGTERM (it finishes writing its append-only file) and waits for it. */
    public void stop() {
        process.stop();
    }

    /**
     * Stops the server if it runs (gracefully), then starts it again on the same port with the same
     * folder, so it replays what it persisted. After {@link #kill()} this is a crash recovery.
     */
    public void restart() {
        process.restart();
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "redis-server on 127.0.0.1:" + port + " in " + dir;
    }

    /** Finds the binary, fails or skips when it is missing. */
    static Path binary() {
        return binary(System.getenv(), List.of(Path.of("/usr/bin"), Path.of("/usr/sbin")));
    }

    /**
     * @param env       the environment: {@code REDIS_SERVER}, {@code PATH}, {@code CI}
     * @param fallbacks folders searched after {@code PATH}
     */
    static Path binary(Map<String, String> env, List<Path> fallbacks) {
        return ServerProcesses.binary(env, fallbacks, "REDIS_SERVER", "redis-server", "install the Debian package 'redis-server' (apt-get install redis-server) "
                + "or set REDIS_SERVER to the binary");
    }

    /** Configures a {@link RedisServer}; {@link #start()} launches it. */
    public static final class Builder {
        private Persistence persistence = Persistence.NONE;
        private String password;
        private Path parent;

        private Builder() {
        }

        /**
         * @param persistence what the server writes to disk; default {@link Persistence#NONE}
         * @return this builder
         */
        public Builder persistence(Persistence persistence) {
            this.persistence = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /**
         * @param password the password of the default user ({@code requirepass}); default none
         * @return this builder
         */
        public Builder password(String password) {
            if (password == null || password.isEmpty() || password.contains("\n") || password.contains(" ")) {
                throw new IllegalArgumentException("password must be non-empty without spaces or newlines");
            }
            this.password = password;
            return this;
        }

        /**
         * Where the server's own folder (configuration, AOF, log) is made; default the system's temporary
         * folder. A memory file system such as {@code /dev/shm} keeps a busy disk from delaying the AOF
         * writes that {@code everysec} may postpone while an fsync is running.
         *
         * @param parent an existing folder
         * @return this builder
         * @throws IllegalArgumentException if it is not a folder
         */
        public Builder parentDirectory(Path parent) {
            if (parent == null || !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("parent directory must be an existing folder, but was " + parent);
            }
            this.parent = parent;
            return this;
        }

        /**
         * Starts the server and waits until it answers.
         *
         * @return the running server; the caller closes it
         * @throws IllegalStateException when it does not start (with its log) or, under {@code CI=true},
         *                               when {@code redis-server} is missing
         */
        public RedisServer start() {
            Path binary = binary();
            return ServerProcess.launchOnFreshPorts("redis-server", () -> new RedisServer(this, binary), s -> s.process,
                    RedisServer::close);
        }
    }
}
