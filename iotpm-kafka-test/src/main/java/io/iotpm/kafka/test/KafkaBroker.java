package io.iotpm.kafka.test;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * One Kafka node (KRaft, broker and controller combined) inside this JVM, tuned for a small
 * machine: one network thread, two I/O threads, single-replica internal topics with few
 * partitions, and {@code group.initial.rebalance.delay.ms=0} so consumer groups form at once.
 * It binds two free loopback ports (clients, controller) when built and keeps them across
 * {@link #stop()} and {@link #start()}, so clients reconnect to a restarted broker on their own;
 * the log folder survives a restart too (what a stopped broker had acknowledged is there again).
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().build().start()) {
 *     String servers = kafka.bootstrapServers();   // localhost:PORT
 *     kafka.stop();
 *     kafka.start();                               // same folder, same address
 * }
 * }</pre>
 * Closing it stops the node and deletes the folder when the broker created it.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Default partitions of a topic the broker creates on first use. */
    public static final int DEFAULT_PARTITIONS = 3;
    private static final int PORT_ATTEMPTS = 3;

    private final Path logDir;
    private final boolean ownsDir;
    private final IntSupplier ports;
    private final boolean choosesPort;
    // Both change only while the first start looks for free ones.
    private volatile int port;
    private volatile int controllerPort;
    private final String clusterId;
    private final Map<String, String> overrides;
    private final int partitions;
    private KafkaRaftServer server;
    private boolean formatted;
    private boolean started;
    private boolean closed;

    private KafkaBroker(Builder b, Path logDir, boolean ownsDir) {
        this.logDir = logDir;
        this.ownsDir = ownsDir;
        this.ports = b.ports;
        this.choosesPort = b.port == 0;
        this.port = b.port;
        choosePorts();
        this.clusterId = Uuid.randomUuid().toString();
        this.overrides = Map.copyOf(b.overrides);
        this.partitions = b.partitions;
        this.formatted = Files.exists(logDir.resolve("meta").resolve("meta.properties"));
    }

    private void choosePorts() {
        if (choosesPort) {
            port = ports.getAsInt();
        }
        int c;
        do {
            c = ports.getAsInt();
        } while (c == port);
        controllerPort = c;
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the log folder on the first start, then starts the node and waits until it serves clients.
     *
     * @return this
     * @throws IllegalStateException if it is running or closed, or does not come up within 60 s (a
     *                               broker whose first start fails is closed, its own folder deleted).
     *                               The ports it chose were free when it asked; if another process bound
     *                               one since, the first start tries new ones, up to 3 times.
     */
    public synchronized KafkaBroker start() {
        if (closed) {
            throw new IllegalStateException("broker closed");
        }
        if (server != null) {
            throw new IllegalStateException("broker already running on " + bootstrapServers());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce();
                started = true;
                return this;
            } catch (Exception e) {
                if (!started && attempt < PORT_ATTEMPTS && addressInUse(e)) {
                    stop();
                    choosePorts();
                    continue;
                }
                failedStart();
                throw e instanceof RuntimeException r ? r
                        : new IllegalStateException("Kafka broker did not start in " + logDir, e);
            }
        }
    }

    private void startOnce() throws Exception {
        KafkaConfig config = new KafkaConfig(config(), false);
        if (!formatted) {
            format(config);
            formatted = true;
        }
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        server = s;   // set before startup, so a failed start is shut down too
        s.startup();
        awaitReady();
    }

    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** A broker that never ran is closed, so {@code build().start()} leaks no folder when it throws. */
    private void failedStart() {
        stop();
        if (!started) {
            close();
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.resolve("data").toString());
        p.put("metadata.log.dir", logDir.resolve("meta").toString());
        // A small machine: few threads, single-replica internal topics with few partitions.
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("num.partitions", Integer.toString(partitions));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.consumer.min.session.timeout.ms", "1000");
        p.put("group.classic.min.session.timeout.ms", "1000");
        p.put("controlled.shutdown.enable", "true");
        p.put("log.segment.bytes", Integer.toString(64 << 20));
        p.putAll(overrides);
        return p;
    }

    private void format(KafkaConfig config) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Formatter f = new Formatter()
                .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                .setNodeId(1)
                .setClusterId(clusterId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        f.addDirectory(logDir.resolve("data").toString());
        f.addDirectory(config.metadataLogDir());
        f.run();
    }

    private void awaitReady() throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(c)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " not ready in 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** @return {@code localhost:PORT}, the clients' bootstrap servers; the same after a restart */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** @return the folder holding the node's logs and metadata */
    public Path logDir() {
        return logDir;
    }

    /** @return whether the node is running */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the node down in order (a controlled shutdown: what it acknowledged is on disk); the log
     * folder and ports stay for {@link #start()}. Does nothing if it is not running.
     */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /** Stops the node and deletes its log folder if this broker created it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (ownsDir) {
            deleteTree(logDir);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + logDir + "]";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Builds a {@link KafkaBroker}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int partitions = DEFAULT_PARTITIONS;
        private IntSupplier ports = KafkaBroker::freePort;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param logDir the node's folder, kept on close; default a new temporary folder deleted on close */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** @param port the client port, 1 to 65535; default a free one */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [1, 65535], but was " + port);
            }
            this.port = port;
            return this;
        }

        /** @param partitions partitions of topics created on first use, 1 to 1000; default {@value #DEFAULT_PARTITIONS} */
        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > 1000) {
                throw new IllegalArgumentException("partitions must be in [1, 1000], but was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /**
         * @param key   a broker setting ({@code server.properties} name)
         * @param value its value, overriding this class's tuning
         */
        public Builder config(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Where the broker's own ports come from (tests hand out a taken one first). */
        Builder ports(IntSupplier ports) {
            this.ports = Objects.requireNonNull(ports, "ports");
            return this;
        }

        /**
         * @return the broker, not started, its ports chosen
         * @throws UncheckedIOException if a temporary folder cannot be made
         */
        public KafkaBroker build() {
            if (logDir != null) {
                return new KafkaBroker(this, logDir, false);
            }
            try {
                return new KafkaBroker(this, Files.createTempDirectory("iotpm-kafka-"), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder for the Kafka broker", e);
            }
        }
    }
}
