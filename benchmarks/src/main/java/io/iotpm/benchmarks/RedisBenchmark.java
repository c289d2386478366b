package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.storage.redis.RedisStorage;
import io.iotpm.test.server.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis {@code appendAll} of 1,000-reading batches (the {@link StorageBenchmark} data: 10 devices x
 * 100 interleaved, 10 channels) beside raw Jedis in the same run, each against its own
 * {@code redis-server} started by the kit's {@link RedisServer} (persistence as the parameter):
 * <ul>
 * <li>{@code redis}: {@link RedisStorage}, one Lua script per batch (atomic, last write wins per
 *     device and timestamp);</li>
 * <li>{@code rawPipelined}: the same members (12-byte time key + doubles) written by hand, one
 *     {@code ZADD} per reading in one pipeline: neither atomic nor idempotent, the floor a
 *     hand-written client pays for the same data.</li>
 * </ul>
 * Score is readings/s. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar RedisBenchmark -f 1 -wi 2 -w 2 -i 3 -r 2}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RedisBenchmark {

    /** A server, a client and the next batch (fresh, later timestamps) per invocation. */
    @State(Scope.Thread)
    public static class Append {
        /** {@code redis} (the backend) or {@code rawPipelined} (Jedis by hand). */
        @Param({"redis", "rawPipelined"})
        public String writer;

        /** The server's persistence: {@code NONE}, {@code AOF_EVERYSEC} or {@code AOF_ALWAYS}. */
        @Param({"NONE", "AOF_EVERYSEC"})
        public String persistence;

        RedisServer server;
        StorageBackend store;
        RedisClient raw;
        List<SensorReading> batch;
        long next;

        @Setup(Level.Trial)
        public void open() {
            server = RedisServer.builder().persistence(RedisServer.Persistence.valueOf(persistence)).start();
            switch (writer) {
                case "redis" -> store = RedisStorage.builder(server.host(), server.port()).build();
                case "rawPipelined" -> raw = RedisClient.create(server.host(), server.port());
                default -> throw new IllegalArgumentException("unknown writer " + writer);
            }
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            batch = StorageBenchmark.batch(next);
            next += StorageBenchmark.BATCH / StorageBenchmark.DEVICES;
        }

        @TearDown(Level.Trial)
        public void close() {
            if (store != null) {
                store.close();
            }
            if (raw != null) {
                raw.close();
            }
            server.close();
        }
    }

    /** The library, or the raw pipeline: 1,000 readings. */
    @Benchmark
    @OperationsPerInvocation(StorageBenchmark.BATCH)
    public void appendAll(Append s) {
        if (s.store != null) {
            s.store.appendAll(s.batch);
            return;
        }
        try (Pipeline p = s.raw.pipelined()) {
            for (SensorReading r : s.batch) {
                p.zadd(("iotpm:r:" + r.deviceId()).getBytes(StandardCharsets.UTF_8), 0, member(r));
            }
            p.sync();
        }
    }

    /** The backend's member layout, by hand: epoch seconds (sign flipped), nanos, health, values. */
    static byte[] member(SensorReading r) {
        int n = r.schema().size();
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * (n + 1));
        b.putLong(r.timestamp().getEpochSecond() ^ Long.MIN_VALUE).putInt(r.timestamp().getNano());
        b.putDouble(r.healthScore());
        for (int i = 0; i < n; i++) {
            b.putDouble(r.value(i));
        }
        return b.array();
    }
}
