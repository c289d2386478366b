package io.iotpm.storage.crash;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing child JVM with SIGKILL in the middle of its batches, three times over, and
 * checks after each that every acknowledged batch is stored completely and no batch is stored in
 * part; for SQLite also that {@code PRAGMA integrity_check} says {@code ok}.
 */
class CrashTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "csv"})
    void killMinus9_losesNoAcknowledgedBatch_andLeavesNoPartialBatch(String scheme) throws Exception {
        String uri = scheme.equals("sqlite") ? "sqlite:" + dir.resolve("iot.db") : "csv:" + dir.resolve("csv");
        long next = 1;
        TreeSet<Long> acked = new TreeSet<>();
        for (int round = 0; round < 3; round++) {
            acked.addAll(runAndKill(uri, next, 10 + 5 * round));
            Map<Long, Integer> stored = storedBatches(uri);
            for (long id : acked) {
                assertThat(stored.get(id)).as("acknowledged batch %d after round %d", id, round)
                        .isEqualTo(CrashChild.BATCH);
            }
            stored.forEach((id, n) -> assertThat(n).as("batch %d is complete or absent", id).isEqualTo(CrashChild.BATCH));
            if (scheme.equals("sqlite")) {
                assertThat(integrityCheck(dir.resolve("iot.db"))).isEqualTo("ok");
            }
            next = stored.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(10 + 15 + 20);
    }

    /** Starts the child, waits for {@code acks} acknowledgements, kills it with SIGKILL. */
    private List<Long> runAndKill(String uri, long first, int acks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), uri, Long.toString(first))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> got = new ArrayList<>();
        // A child that never acknowledges (stuck, or starved on a busy machine) would block readLine for ever,
        // and a blocked pipe read ignores the JUnit timeout's interrupt: kill it after a generous while.
        var watchdog = CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES);
        var guard = CompletableFuture.runAsync(() -> p.toHandle().destroyForcibly(), watchdog);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    got.add(Long.parseLong(line.substring(4)));
                    if (got.size() == acks) {
                        // SIGKILL: no shutdown hooks, no close(). Through the process handle, not
                        // Process.destroyForcibly, which would also close our end of the pipe and lose acks
                        // already printed; nor the kill command, which a minimal machine may lack.
                        p.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            guard.cancel(false);
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(got).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(acks);
        return got;
    }

    /** Batch id -> how many of its readings the reopened store holds. */
    private static Map<Long, Integer> storedBatches(String uri) {
        Map<Long, Integer> out = new HashMap<>();
        try (StorageBackend s = StorageBackends.open(uri)) {
            for (int d = 0; d < CrashChild.DEVICES; d++) {
                for (SensorReading r : s.range("DEV_" + d, CrashChild.T0, CrashChild.T0.plus(Duration.ofDays(365)))) {
                    long ms = Duration.between(CrashChild.T0, r.timestamp()).toMillis();
                    out.merge(ms / 1000, 1, Integer::sum);
                }
            }
            long total = out.values().stream().mapToLong(Integer::longValue).sum();
            long counted = s.devices().stream().mapToLong(DeviceInfo::readingCount).sum();
            assertThat(counted).as("device counts agree with the rows").isEqualTo(total);
        }
        return out;
    }

    private static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
