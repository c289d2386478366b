package io.iotpm.storage.postgres.faults;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.storage.postgres.PostgresStorage;
import io.iotpm.test.server.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three writer JVMs on one database at once, each killed with SIGKILL in the middle of its
 * batches: every acknowledged batch is stored completely, no batch is stored in part or twice,
 * and the device counts agree with the rows.
 */
class ConcurrentWritersTest {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void threeWriterJvms_killedMidBatch_loseNoAcknowledgedBatch_andLeaveNoPartialOne() throws Exception {
        String db = server.createDatabase("writers");
        List<CompletableFuture<List<Long>>> runs = new ArrayList<>();
        for (int w = 0; w < WriterChild.WRITERS; w++) {
            int writer = w;
            runs.add(CompletableFuture.supplyAsync(() -> runAndKill(server.storageUri(db), writer, 15 + 5 * writer)));
        }
        Map<Long, Integer> acked = new HashMap<>();   // second -> writer
        for (int w = 0; w < runs.size(); w++) {
            for (long id : runs.get(w).get(3, TimeUnit.MINUTES)) {
                acked.put(id * WriterChild.WRITERS + w, w);
            }
        }

        Map<Long, Integer> stored = new HashMap<>();   // second -> readings stored
        try (StorageBackend s = PostgresStorage.builder("127.0.0.1", server.port(), db)
                .user(server.user()).password(server.password()).build()) {
            for (int d = 0; d < WriterChild.DEVICES; d++) {
                for (SensorReading r : s.range("DEV_" + d, WriterChild.T0, WriterChild.T0.plus(Duration.ofDays(1)))) {
                    stored.merge(Duration.between(WriterChild.T0, r.timestamp()).toMillis() / 1000, 1, Integer::sum);
                }
            }
            long rows = stored.values().stream().mapToLong(Integer::longValue).sum();
            assertThat(s.devices().stream().mapToLong(DeviceInfo::readingCount).sum())
                    .as("device counts agree with the rows").isEqualTo(rows);
        }
        for (long second : acked.keySet()) {
            assertThat(stored.get(second)).as("acknowledged batch at second %d", second).isEqualTo(WriterChild.BATCH);
        }
        stored.forEach((second, n) -> assertThat(n).as("batch at second %d is complete or absent", second)
                .isEqualTo(WriterChild.BATCH));
        assertThat(acked).hasSizeGreaterThanOrEqualTo(15 + 20 + 25);
    }

    /** Starts writer {@code w}, waits for {@code acks} acknowledgements, kills it with SIGKILL. */
    private static List<Long> runAndKill(String uri, int w, int acks) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WriterChild.class.getName(), uri, Integer.toString(w)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PGPASSWORD", server.password());
        List<Long> got = new ArrayList<>();
        try {
            Process p = pb.start();
            // A child that never acknowledges would block readLine for ever: kill it after a generous while.
            var guard = CompletableFuture.runAsync(() -> p.toHandle().destroyForcibly(),
                    CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES));
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        got.add(Long.parseLong(line.substring(4)));
                        if (got.size() == acks) {
                            p.toHandle().destroyForcibly();   // SIGKILL, keeping our end of the pipe
                        }
                    }
                }
            } finally {
                guard.cancel(false);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(p.exitValue()).as("writer %d killed by SIGKILL", w).isEqualTo(137);
        } catch (Exception e) {
            throw new IllegalStateException("writer " + w + " failed", e);
        }
        assertThat(got).as("writer %d acknowledged before the kill", w).hasSizeGreaterThanOrEqualTo(acks);
        return got;
    }
}
