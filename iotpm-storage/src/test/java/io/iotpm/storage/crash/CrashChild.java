package io.iotpm.storage.crash;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link CrashTest} in a child JVM: appends batches forever and prints {@code ack N} after
 * batch N was acknowledged, until the parent kills it with SIGKILL.
 */
public final class CrashChild {

    static final int BATCH = 200;
    static final int DEVICES = 4;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private CrashChild() {
    }

    /** The readings of batch {@code id}: their millisecond offsets encode the batch id. */
    static List<SensorReading> batch(long id) {
        List<SensorReading> out = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            out.add(SensorReading.of("DEV_" + (i % DEVICES), T0.plusMillis(id * 1000 + i), SensorSchema.industrialMotor(),
                    new double[] {60 + i % 10, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90));
        }
        return out;
    }

    /**
     * @param args storage URI and the first batch id
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        long id = Long.parseLong(args[1]);
        try (StorageBackend store = StorageBackends.open(args[0])) {
            out.println("ready");
            out.flush();
            while (true) {
                store.appendAll(batch(id));
                out.println("ack " + id);
                out.flush();
                id++;
            }
        }
    }
}
