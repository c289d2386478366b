package io.iotpm.test.server;

import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: Debian's binaries ({@code /usr/lib/postgresql/N/bin},
 * package {@code postgresql}) run {@code initdb} into a temporary folder, and the server listens on
 * 127.0.0.1 on a free port with its unix socket in that folder. {@code fsync} is off, since a test
 * database need not survive a power cut; a stop with {@code -m immediate} (a crash of the server)
 * still loses nothing that was committed, as the OS keeps the written pages.
 *
 * <p>PostgreSQL refuses to run as root, so when the test runs as root (as CI does) every server
 * command runs as the {@code postgres} system user through {@code runuser}, and the folder is
 * handed to that user. The superuser {@link #user()} logs in over TCP with {@link #password()}
 * (SCRAM), so tests can check wrong credentials; the socket trusts local connections.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {
 *     String db = pg.createDatabase("iotpm_test");
 *     String url = pg.jdbcUrl(db);   // jdbc:postgresql://127.0.0.1:PORT/iotpm_test
 * }
 * }</pre>
 * When the binaries are missing, {@link #start()} fails under {@code CI=true} and otherwise aborts
 * the test (a JUnit assumption) naming the package to install.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String SUPERUSER = "postgres";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path root;
    private final Path data;
    private volatile int port;   // changes only while the first start finds a free one
    private final String password;
    private final boolean asRoot;
    private boolean running;

    private PostgresServer(Path bin, Path root, int port, String password) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.password = password;
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /**
     * Initialises and starts a new server.
     *
     * @return the running server; close it to stop it and delete its folder
     * @throws TestAbortedException when the binaries are missing and {@code CI} is not {@code true}
     * @throws IllegalStateException when they are missing under {@code CI=true}, or the server does not start
     */
    public static PostgresServer start() {
        return start(ServerProcess::freePort);
    }

    /** As {@link #start()}, with the ports to try from {@code ports} (tests take the first one beforehand). */
    static PostgresServer start(IntSupplier ports) {
        Path bin = findBinaries().orElseThrow(PostgresServer::missing);
        Path root;
        try {
            root = Files.createTempDirectory("iotpm-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the PostgreSQL server", e);
        }
        PostgresServer server = new PostgresServer(bin, root, ports.getAsInt(), UUID.randomUUID().toString());
        try {
            server.init();
            server.startOnFreePort(ports);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * The first start. The port was free when {@link ServerProcess#freePort()} asked; if another process
     * bound it since, the server logs "Address already in use" and {@code pg_ctl} fails, so this tries
     * new ports (the data folder stays: only the port changes), up to
     * {@value ServerProcess#PORT_ATTEMPTS} times.
     */
    private void startOnFreePort(IntSupplier ports) {
        for (int attempt = 1; ; attempt++) {
            try {
                restart();
                return;
            } catch (IllegalStateException e) {
                if (attempt >= ServerProcess.PORT_ATTEMPTS || !ServerProcess.addressInUse(log())) {
                    throw e;
                }
                // The log holds only failed attempts' lines; starting afresh keeps the next check to the next attempt.
                try {
                    Files.deleteIfExists(root.resolve("server.log"));
                } catch (IOException io) {
                    e.addSuppressed(io);
                    throw e;
                }
                port = ports.getAsInt();
            }
        }
    }

    /** @return the {@code bin} folder of the newest PostgreSQL under {@code /usr/lib/postgresql}, if any */
    public static Optional<Path> findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static RuntimeException missing() {
        String msg = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install Debian's "
                + "package: apt-get install postgresql";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(msg + " (CI=true, so this fails instead of skipping)");
        }
        return new TestAbortedException(msg);
    }

    private void init() {
        Path pwfile = root.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (asRoot) {
            run(List.of("chown", "-R", SUPERUSER + ":", root.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8",
                "--locale=C", "--no-sync"), true);
    }

    /** Starts the server (again) on the same port and data, e.g. after {@link #stopImmediate()}. */
    public synchronized void restart() {
        if (running) {
            return;
        }
        String options = "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c max_connections=200";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("server.log").toString(),
                "-o", options, "-w", "-t", "60", "start"), true);
        running = true;
    }

    /** Kills the server as a crash would ({@code pg_ctl stop -m immediate}); {@link #restart()} recovers it. */
    public synchronized void stopImmediate() {
        stop("immediate");
    }

    private void stop(String mode) {
        if (!running) {
            return;
        }
        running = false;
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "stop"), true);
    }

    /**
     * Creates a database owned by the superuser.
     *
     * @param name a new database name, {@code [a-z_][a-z0-9_]*}
     * @return the name
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must match [a-z_][a-z0-9_]*, but was '" + name + "'");
        }
        sql("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /**
     * Runs SQL through {@code psql} over the unix socket, e.g. to prepare a database for a test.
     *
     * @param database the database to connect to
     * @param sql      one or more statements
     * @return what psql printed (unaligned, tuples only)
     */
    public String sql(String database, String sql) {
        return run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", root.toString(), "-p", Integer.toString(port), "-U", SUPERUSER, "-d", database, "-c", sql), false);
    }

    /** @return the TCP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the superuser's name */
    public String user() {
        return SUPERUSER;
    }

    /** @return the superuser's password, random per server */
    public String password() {
        return password;
    }

    /**
     * @param database a database name
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/database}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * @param database a database name
     * @return the iotpm storage URI {@code postgresql://postgres@127.0.0.1:PORT/database} (no password)
     */
    public String storageUri(String database) {
        return "postgresql://" + SUPERUSER + "@127.0.0.1:" + port + "/" + database;
    }

    /** @return the server's log so far, for failure messages */
    public String log() {
        try {
            return Files.readString(root.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its folder. */
    @Override
    public synchronized void close() {
        try {
            stop("fast");
        } finally {
            ServerProcesses.deleteTree(root);
        }
    }

    private String run(List<String> command, boolean asServerUser) {
        List<String> cmd = new ArrayList<>();
        if (asRoot && asServerUser) {
            cmd.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PGPASSWORD");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited with " + p.exitValue()
                        + ":\n" + text);
            }
            return text.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd.get(0), e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " in " + root;
    }
}
