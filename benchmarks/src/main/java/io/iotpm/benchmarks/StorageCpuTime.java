package io.iotpm.benchmarks;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Companion to {@code StorageBenchmark.appendAll} for a shared machine: the SQLite backend and the
 * two raw baselines ({@code raw}, {@code rawMulti}) take turns in rounds of about 2 s each, and every
 * 1,000-reading {@code appendAll} is timed by the wall clock and by the thread's CPU time (user +
 * system). CPU time reads "readings per second of one core" even while other processes compete
 * for the cores; the wall clock adds waiting for the CPU and for the disk (checkpoint fsyncs,
 * shown as the share of time spent in batches slower than 5x the median). Batches are built
 * outside the timed call. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.iotpm.benchmarks.StorageCpuTime [rounds]}.
 */
public final class StorageCpuTime {

    private StorageCpuTime() {
    }

    @FunctionalInterface
    private interface Sink {
        void write(List<SensorReading> batch) throws Exception;
    }

    /**
     * @param args optional number of measured rounds (default 7)
     * @throws Exception when a store cannot be written
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("iotpm-bench-cpu-");
        String[] names = {"sqlite", "raw", "rawMulti"};
        Sink[] sinks = new Sink[names.length];
        List<AutoCloseable> open = new ArrayList<>();
        try {
            StorageBackend store = StorageBackends.open("sqlite:" + dir.resolve("iot.db"));
            open.add(store);
            sinks[0] = store::appendAll;
            Connection raw = StorageBenchmark.rawConnection(dir.resolve("raw.db"), false);
            PreparedStatement ps = raw.prepareStatement(StorageBenchmark.RAW_INSERT + StorageBenchmark.RAW_ROW);
            open.add(raw);
            long[] seq = new long[2];
            sinks[1] = b -> seq[0] = StorageBenchmark.rawBatch(ps, raw, b, seq[0]);
            Connection multi = StorageBenchmark.rawConnection(dir.resolve("multi.db"), true);
            PreparedStatement m1 = multi.prepareStatement(StorageBenchmark.RAW_INSERT + StorageBenchmark.RAW_ROW);
            PreparedStatement m64 = multi.prepareStatement(StorageBenchmark.RAW_INSERT
                    + String.join(", ", Collections.nCopies(64, StorageBenchmark.RAW_ROW)));
            open.add(multi);
            sinks[2] = b -> seq[1] = StorageBenchmark.rawMultiRow(m64, m1, multi, b, seq[1]);

            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long[] next = new long[names.length];
            double[][] wall = new double[names.length][rounds];
            double[][] cpu = new double[names.length][rounds];
            List<List<Long>> batchWall = new ArrayList<>();
            for (int k = 0; k < names.length; k++) {
                batchWall.add(new ArrayList<>());
            }
            for (int round = -1; round < rounds; round++) {   // round -1 warms up
                for (int k = 0; k < names.length; k++) {
                    long w = 0;
                    long c = 0;
                    int n = 0;
                    long end = System.nanoTime() + 2_000_000_000L;
                    while (System.nanoTime() < end) {
                        List<SensorReading> batch = StorageBenchmark.batch(next[k]);
                        next[k] += StorageBenchmark.BATCH / StorageBenchmark.DEVICES;
                        long w0 = System.nanoTime();
                        long c0 = mx.getCurrentThreadCpuTime();
                        sinks[k].write(batch);
                        long dc = mx.getCurrentThreadCpuTime() - c0;
                        long dw = System.nanoTime() - w0;
                        c += dc;
                        w += dw;
                        n++;
                        if (round >= 0) {
                            batchWall.get(k).add(dw);
                        }
                    }
                    if (round >= 0) {
                        wall[k][round] = n * (double) StorageBenchmark.BATCH / (w / 1e9);
                        cpu[k][round] = n * (double) StorageBenchmark.BATCH / (c / 1e9);
                    }
                }
            }
            double libCpu = median(cpu[0]);
            double libWall = median(wall[0]);
            for (int k = 0; k < names.length; k++) {
                List<Long> l = new ArrayList<>(batchWall.get(k));
                Collections.sort(l);
                long med = l.get(l.size() / 2);
                long total = 0;
                long slow = 0;
                for (long x : l) {
                    total += x;
                    slow += x > 5 * med ? x : 0;
                }
                System.out.printf("%-9s readings/CPU-s median %,9.0f (library %.2fx)   readings/s wall median %,9.0f"
                                + " (library %.2fx)   batch p50 %.2f ms, p99 %.1f ms, %.0f%% of wall in batches > 5x p50%n",
                        names[k], median(cpu[k]), libCpu / median(cpu[k]), median(wall[k]), libWall / median(wall[k]),
                        med / 1e6, l.get(l.size() * 99 / 100) / 1e6, 100.0 * slow / total);
            }
        } finally {
            Collections.reverse(open);
            for (AutoCloseable c : open) {
                c.close();
            }
            StorageBenchmark.deleteTree(dir);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
