package io.iotpm.storage.postgres.faults;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link ConcurrentWritersTest} in a child JVM: opens the store by URI (the password comes
 * from {@code PGPASSWORD}, never the command line), appends batches forever and prints
 * {@code ack N} after batch N was acknowledged, until the parent kills it with SIGKILL.
 */
public final class WriterChild {

    static final int BATCH = 200;
    static final int DEVICES = 4;
    static final int WRITERS = 3;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private WriterChild() {
    }

    /**
     * The readings of writer {@code w}'s batch {@code id}, spread over every device: second
     * {@code id * WRITERS + w} after T0 belongs to that batch alone, so a loss or a duplicate shows.
     */
    static List<SensorReading> batch(int w, long id) {
        List<SensorReading> out = new ArrayList<>(BATCH);
        long second = id * WRITERS + w;
        for (int i = 0; i < BATCH; i++) {
            out.add(SensorReading.of("DEV_" + (i % DEVICES), T0.plusMillis(second * 1000 + i), SensorSchema.industrialMotor(),
                    new double[] {60 + i % 10, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90));
        }
        return out;
    }

    /**
     * @param args storage URI and writer number
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        int writer = Integer.parseInt(args[1]);
        try (StorageBackend store = StorageBackends.open(args[0])) {
            for (long id = 0; ; id++) {
                store.appendAll(batch(writer, id));
                out.println("ack " + id);
                out.flush();
            }
        }
    }
}
