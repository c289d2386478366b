package io.iotpm.benchmarks.mqtt;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.ReadingSink;
import io.iotpm.test.storage.ForwardingStorage;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish -> stored latency: the load generator's sink stamps the readings of every
 * {@value #SAMPLE_EVERY}th second of reading time with the wall time they were handed to the MQTT
 * client, the storage wrapper looks them up once the backend returned from {@code appendAll} (i.e.
 * they are stored). The sample test is arithmetic on the timestamp, so unsampled readings cost no
 * key and no map lookup on either side (the first profile had the probe at 3 % of the JVM's CPU).
 * Also counts stored readings.
 */
final class LatencyProbe {

    static final int SAMPLE_EVERY = 64;
    private static final int MAX_SAMPLES = 1 << 20;

    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    private final long[] samplesMicros = new long[MAX_SAMPLES];
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean recording;

    private static boolean sampled(SensorReading r) {
        return r.timestamp().getEpochSecond() % SAMPLE_EVERY == 0;
    }

    private static String key(SensorReading r) {
        return r.deviceId() + '@' + r.timestamp().toEpochMilli();
    }

    /** Starts keeping samples (after the warm-up). */
    void record(boolean on) {
        recording = on;
    }

    ReadingSink stamping(ReadingSink sink) {
        return new ReadingSink() {
            @Override
            public void accept(SensorReading r) {
                if (sampled(r)) {
                    pending.put(key(r), System.nanoTime());
                }
                sink.accept(r);
            }

            @Override
            public boolean isClosed() {
                return sink.isClosed();
            }
        };
    }

    StorageBackend measuring(StorageBackend store) {
        return new ForwardingStorage(store) {
            @Override
            public void append(SensorReading reading) {
                super.append(reading);
                stored(List.of(reading));
            }

            @Override
            public void appendAll(Collection<SensorReading> readings) {
                super.appendAll(readings);
                stored(readings);
            }
        };
    }

    private void stored(Collection<SensorReading> readings) {
        stored.addAndGet(readings.size());
        long now = System.nanoTime();
        for (SensorReading r : readings) {
            if (!sampled(r)) {
                continue;
            }
            Long t = pending.remove(key(r));
            if (t != null && recording) {
                long i = samples.getAndIncrement();
                if (i < MAX_SAMPLES) {
                    samplesMicros[(int) i] = (now - t) / 1_000;
                }
            }
        }
    }

    long stored() {
        return stored.get();
    }

    /** @return {p50, p99, max} in milliseconds, or NaNs without samples */
    double[] percentilesMillis() {
        int n = (int) Math.min(samples.get(), MAX_SAMPLES);
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        long[] s = Arrays.copyOf(samplesMicros, n);
        Arrays.sort(s);
        return new double[] {s[n / 2] / 1e3, s[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e3, s[n - 1] / 1e3};
    }

    int sampleCount() {
        return (int) Math.min(samples.get(), MAX_SAMPLES);
    }
}
