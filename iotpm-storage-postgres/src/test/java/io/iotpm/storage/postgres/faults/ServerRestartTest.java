package io.iotpm.storage.postgres.faults;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.storage.postgres.PostgresStorage;
import io.iotpm.test.server.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link MonitoringPipeline} keeps writing while the server crashes ({@code pg_ctl stop -m
 * immediate}) and comes back: the store and the pipeline retry, and every reading is stored
 * exactly once, even those whose commit was in flight when the server died.
 */
class ServerRestartTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int DEVICES = 10;
    private static final int PER_DEVICE = 3_000;

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
    void pipelineWritingThroughAnImmediateStopAndRestart_losesAndDuplicatesNothing() throws Exception {
        String db = server.createDatabase("restart");
        try (PostgresStorage store = PostgresStorage.builder("127.0.0.1", server.port(), db)
                .user(server.user()).password(server.password()).retryFor(Duration.ofSeconds(1)).build();
             StreamHub hub = StreamHub.inMemory().capacity(4096).overflow(Overflow.BLOCK).build()) {
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store).batchSize(200)
                    .batchTime(Duration.ofMillis(50)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .closeTimeout(Duration.ofMinutes(1)).build().start();
            for (int i = 0; i < PER_DEVICE; i++) {
                for (int d = 0; d < DEVICES; d++) {
                    hub.publish(reading("PUMP_" + d, i));
                }
                if (i == PER_DEVICE / 3) {
                    await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.metrics().readingsStored() > 0);
                    server.stopImmediate();
                }
                if (i == PER_DEVICE / 2) {
                    // Down until the pipeline has seen a write fail (the store's own retries gave up), however
                    // slow the machine: a fixed sleep could end inside the store's retry window.
                    await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.metrics().storageErrors() > 0);
                    server.restart();
                }
            }
            pipeline.close();
            PipelineMetrics m = pipeline.metrics();
            assertThat(m.storageErrors()).as("the outage was seen").isPositive();
            assertThat(m.readingsLost()).isZero();
            assertThat(m.readingsStored()).isEqualTo((long) DEVICES * PER_DEVICE);
            for (int d = 0; d < DEVICES; d++) {
                List<SensorReading> all = store.range("PUMP_" + d, T0, T0.plus(Duration.ofDays(30)));
                Set<Instant> distinct = new HashSet<>();
                all.forEach(r -> distinct.add(r.timestamp()));
                assertThat(all).as("PUMP_%d", d).hasSize(PER_DEVICE);
                assertThat(distinct).hasSize(PER_DEVICE);
                assertThat(store.count("PUMP_" + d)).isEqualTo(PER_DEVICE);
            }
            assertThat(server.sql(db, "SELECT count(*) FROM readings")).isEqualTo(Long.toString((long) DEVICES * PER_DEVICE));
        }
    }

    private static SensorReading reading(String device, int i) {
        return SensorReading.of(device, T0.plusSeconds(60L * i), SensorSchema.industrialMotor(),
                new double[] {60 + i % 10, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90);
    }
}
