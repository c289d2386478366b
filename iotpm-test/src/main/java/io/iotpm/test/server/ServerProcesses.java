package io.iotpm.test.server;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What every server the test kit starts as a child process needs: its binary, a stop that waits, a folder to remove. */
final class ServerProcesses {

    private ServerProcesses() {
    }

    /**
     * Finds a server binary: the file an environment variable names, else the first executable on {@code PATH}
     * or in {@code fallbacks}. Missing, it fails under {@code CI=true} (CI must never skip) and skips otherwise.
     *
     * @param env       the environment: {@code envVar}, {@code PATH}, {@code CI}
     * @param fallbacks folders searched after {@code PATH}
     * @param envVar    the variable that names the binary, e.g. {@code REDIS_SERVER}
     * @param name      the executable's file name
     * @param hint      how to install it, for the message
     */
    static Path binary(Map<String, String> env, List<Path> fallbacks, String envVar, String name, String hint) {
        String explicit = env.get(envVar);
        String where;
        List<Path> candidates = new ArrayList<>();
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
            where = envVar + "=" + explicit + " is not an executable file";
        } else {
            String path = env.get("PATH");
            if (path != null) {
                for (String d : path.split(File.pathSeparator)) {
                    if (!d.isEmpty()) {
                        candidates.add(Path.of(d, name));
                    }
                }
            }
            fallbacks.forEach(d -> candidates.add(d.resolve(name)));
            where = name + " is not on PATH nor in " + fallbacks;
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        String message = where + ": " + hint;
        if ("true".equalsIgnoreCase(env.get("CI"))) {
            throw new IllegalStateException(message + "; CI=true requires it");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Waits for a stopping process, killing it when it takes longer than 30 s. */
    static void waitFor(Process p, String name) {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to stop", e);
        }
    }

    /** Deletes a server's folder and everything in it; a folder that is gone already is no error. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
