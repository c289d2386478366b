package io.iotpm.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The life of one server that runs as a child process in its own folder on a fixed port: start and
 * wait until it answers, SIGKILL, SIGTERM, restart on the same port and folder, close. The servers
 * of the test kit differ only in their command, their readiness probe and where their log is, which
 * they hand in.
 */
final class ServerProcess {

    private static final long START_TIMEOUT_MS = 20_000;
    /** Starts tried on fresh ports before a taken port fails the start. */
    static final int PORT_ATTEMPTS = 3;

    private final String name;
    private final List<String> command;
    private final Path dir;
    private final int port;
    private final String readiness;
    private final BooleanSupplier ready;
    private final Supplier<String> log;
    private Process process;

    /**
     * @param name      the server's name in messages, e.g. {@code redis-server}
     * @param command   the command line; it runs in {@code dir}, its output goes to {@code <name>.out} there
     * @param dir       the server's folder, deleted by {@link #close()}
     * @param port      the port it listens on
     * @param readiness what {@code ready} checks, for the time-out message, e.g. {@code answer PING}
     * @param ready     whether the server answers; called every 20 ms while starting
     * @param log       the server's log, for the messages of a failed start
     */
    ServerProcess(String name, List<String> command, Path dir, int port, String readiness, BooleanSupplier ready,
                  Supplier<String> log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.dir = dir;
        this.port = port;
        this.readiness = readiness;
        this.ready = ready;
        this.log = log;
    }

    /** @return a port of 127.0.0.1 that nothing listens on right now */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Makes a server on fresh ports and in a fresh folder; it has not been launched yet. */
    @FunctionalInterface
    interface Maker<S> {
        S make() throws IOException;
    }

    /**
     * Makes and launches a server. {@link #freePort()} only knows the port was free when it asked; if
     * another process binds it before the server does, the server exits with "Address already in
     * use", and a new one on new ports is tried, up to {@value #PORT_ATTEMPTS} times.
     *
     * @param what    the server's name, for the message when its folder cannot be made
     * @param make    makes the server (ports, folder, configuration)
     * @param process the server's process
     * @param close   closes a server that did not start, deleting its folder
     * @return the running server
     * @throws IllegalStateException when it does not start for another reason, or the ports stay taken
     */
    static <S> S launchOnFreshPorts(String what, Maker<S> make, Function<S, ServerProcess> process,
                                    Consumer<S> close) {
        for (int attempt = 1; ; attempt++) {
            S server;
            try {
                server = make.make();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare a folder for " + what + ": " + e.getMessage(), e);
            }
            try {
                process.apply(server).launch();
                return server;
            } catch (RuntimeException e) {
                close.accept(server);
                if (attempt >= PORT_ATTEMPTS || !addressInUse(e.getMessage())) {
                    throw e;
                }
            }
        }
    }

    /** @return whether a server's message or log says another process holds its port */
    static boolean addressInUse(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).contains("address already in use");
    }

    /**
     * Starts the server and waits until it answers.
     *
     * @throws IllegalStateException when it runs already, exits, or does not answer in time (with its log)
     */
    synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " on port " + port + " is already running");
        }
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(outputFile()).toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " on port " + port + " exited with " + process.exitValue()
                        + "; its log:\n" + log.get());
            }
            if (System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " on port " + port + " did not " + readiness + " within "
                        + START_TIMEOUT_MS + " ms; its log:\n" + log.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** @return the file in the server's folder that receives its standard output and error */
    String outputFile() {
        return name + ".out";
    }

    /** @return the process id of the running server, or -1 when it is not running */
    synchronized long pid() {
        return isRunning() ? process.pid() : -1;
    }

    /** @return whether the server process is running */
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash would, and waits for the process to end. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            ServerProcesses.waitFor(process, name);
        }
    }

    /** SIGTERM, so the server writes what it persists, and waits for it to end. */
    synchronized void stop() {
        if (isRunning()) {
            process.destroy();
            ServerProcesses.waitFor(process, name);
        }
    }

    /** Stops the server if it runs (gracefully), then starts it again on the same port with the same folder. */
    synchronized void restart() {
        stop();
        launch();
    }

    /** Kills the server and deletes its folder. */
    synchronized void close() {
        kill();
        ServerProcesses.deleteTree(dir);
    }
}
