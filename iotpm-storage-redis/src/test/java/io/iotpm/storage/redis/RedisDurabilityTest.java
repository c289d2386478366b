package io.iotpm.storage.redis;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.server.RedisServer;
import io.iotpm.test.server.RedisServer.Persistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What survives the server being killed with SIGKILL and started again: with AOF, everything that
 * was acknowledged; without persistence, nothing.
 */
class RedisDurabilityTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static List<SensorReading> batch(int b, int size) {
        List<SensorReading> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long ms = (long) b * size + i;
            out.add(SensorReading.of("DEV_" + (i % 4), T0.plusMillis(ms), MOTOR,
                    new double[] {60 + i % 10, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}));
        }
        return out;
    }

    /**
     * With {@code everysec} too, as long as only the Redis process dies: the AOF reaches the kernel
     * before the reply; only a machine crash can lose the last second. Unless a stalled disk makes
     * Redis postpone that write (up to 2 s while a background fsync runs), which a busy CI disk can
     * do: {@code everysec} runs on a memory file system, where that stall does not happen.
     */
    @ParameterizedTest
    @EnumSource(value = Persistence.class, names = {"AOF_ALWAYS", "AOF_EVERYSEC"})
    void aof_keepsEveryAcknowledgedBatch_acrossKill9WhileWriting(Persistence persistence) throws Exception {
        RedisServer.Builder builder = RedisServer.builder().persistence(persistence);
        Path shm = Path.of("/dev/shm");
        if (persistence == Persistence.AOF_EVERYSEC && Files.isDirectory(shm) && Files.isWritable(shm)) {
            builder.parentDirectory(shm);
        }
        try (RedisServer server = builder.start()) {
            AtomicLong acknowledged = new AtomicLong();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            int size = 200;
            Thread writer = new Thread(() -> {
                try (RedisStorage s = RedisStorage.builder(server.host(), server.port()).timeout(Duration.ofSeconds(2))
                        .build()) {
                    for (int b = 0; ; b++) {
                        s.appendAll(batch(b, size));
                        acknowledged.set(b + 1);
                    }
                } catch (RuntimeException e) {
                    ended.set(e);   // the server died under the writer
                }
            }, "durability-writer");
            writer.start();
            while (acknowledged.get() < 20 && writer.isAlive()) {
                Thread.sleep(5);
            }
            assertThat(ended.get()).as("the writer failed before the kill").isNull();
            server.kill();
            writer.join(30_000);
            long acked = acknowledged.get();
            assertThat(ended.get()).as("the writer was still writing when the server died")
                    .isInstanceOf(StorageException.class);

            server.restart();

            try (RedisStorage s = RedisStorage.builder(server.host(), server.port()).build()) {
                long stored = 0;
                for (int d = 0; d < 4; d++) {
                    stored += s.count("DEV_" + d);
                }
                // Every acknowledged batch is there; at most the one in flight may be there too, and whole.
                assertThat(stored).isIn(acked * size, (acked + 1) * size);
                for (int b = 0; b < acked; b++) {
                    SensorReading last = batch(b, size).get(size - 1);
                    assertThat(s.range(last.deviceId(), last.timestamp(), last.timestamp().plusNanos(1)))
                            .containsExactly(last);
                }
            }
        }
    }

    @Test
    void anOpenStore_failsWhileTheServerIsDown_andWorksAgainAfterItsRestart_resendingItsScript() throws Exception {
        try (RedisServer server = RedisServer.builder().persistence(Persistence.AOF_ALWAYS).start();
             RedisStorage s = RedisStorage.builder(server.host(), server.port()).timeout(Duration.ofSeconds(2)).build()) {
            s.appendAll(batch(0, 100));
            fillThePool(s);
            server.stop();
            assertThatThrownBy(() -> s.appendAll(batch(1, 100))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot reach");
            server.restart();   // empty script cache: the next batch must send the script body again
            for (int i = 0; i < 10; i++) {   // every pooled connection died with the server
                assertThat(s.latest("DEV_1", 5)).hasSize(5);
            }
            s.appendAll(batch(1, 100));
            s.appendAll(batch(0, 100));   // a redelivery after the outage: stored once
            assertThat(s.count("DEV_0")).isEqualTo(50);
            assertThat(s.devices()).hasSize(4);
        }
    }

    /** Reads from several threads at once, so the pool holds several connections. */
    private static void fillThePool(RedisStorage s) throws InterruptedException {
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            readers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        s.devices();
                    }
                } catch (StorageException expected) {
                    // the server may be down: only the connections matter here
                }
            }));
        }
        readers.forEach(Thread::start);
        for (Thread r : readers) {
            r.join();
        }
    }

    @Test
    void withoutPersistence_aRestartLosesEverything() {
        try (RedisServer server = RedisServer.builder().persistence(Persistence.NONE).start()) {
            try (RedisStorage s = RedisStorage.builder(server.host(), server.port()).build()) {
                s.appendAll(batch(0, 100));
                assertThat(s.count("DEV_0")).isEqualTo(25);
            }
            server.kill();
            server.restart();
            try (RedisStorage s = RedisStorage.builder(server.host(), server.port()).build()) {
                assertThat(s.count("DEV_0")).isZero();
            }
        }
    }
}
