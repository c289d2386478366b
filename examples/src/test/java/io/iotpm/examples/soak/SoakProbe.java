package io.iotpm.examples.soak;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Samples the process's resources: heap used after a full GC, resident set size, native memory
 * committed (Native Memory Tracking, when the JVM runs with {@code -XX:NativeMemoryTracking}), live
 * threads, open file descriptors and the SQLite write-ahead log. Decides flatness from the trend
 * after a warm-up, generously: a leak shows as steady growth, noise does not.
 */
final class SoakProbe {

    /** One sample; memory in MiB, the rest in units. */
    record Sample(double seconds, double heapMib, double rssMib, double nativeMib, double threads, double fds,
                  double walMib) {
    }

    /** One resource's verdict. */
    record Trend(String name, double first, double min, double max, double last, double growth, double allowed) {
        boolean flat() {
            return growth <= allowed;
        }
    }

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private final Path wal;
    private final long startNanos = System.nanoTime();
    final List<Sample> samples = new ArrayList<>();

    /** @param wal the SQLite WAL file ({@code <db>-wal}) */
    SoakProbe(Path wal) {
        this.wal = wal;
    }

    Sample sample() {
        System.gc();
        System.gc();
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, heap, rssMib(), nativeMib(),
                ManagementFactory.getThreadMXBean().getThreadCount(), fds(), walMib());
        samples.add(s);
        return s;
    }

    private static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** @return NMT's committed total, or NaN when tracking is off */
    private static double nativeMib() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[]{new String[]{"summary"}}, new String[]{String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(String.valueOf(out));
            return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private double walMib() {
        try {
            return Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * The trend of each resource: the mean of the last quarter of the samples against the mean of
     * the second quarter (the first quarter is warm-up: class loading, JIT, the model, caches).
     */
    List<Trend> trends() {
        return List.of(
                trend("heap after GC (MiB)", Sample::heapMib, 64, 0.5),
                trend("RSS (MiB)", Sample::rssMib, 192, 0.3),
                trend("native committed, NMT (MiB)", Sample::nativeMib, 128, 0.3),
                trend("threads", Sample::threads, 12, 0),
                trend("file descriptors", Sample::fds, 24, 0),
                trend("SQLite WAL (MiB)", Sample::walMib, 16, 1.0));
    }

    private Trend trend(String name, ToDoubleFunction<Sample> f, double absolute, double relative) {
        int n = samples.size();
        double[] v = samples.stream().mapToDouble(f).toArray();
        double second = mean(v, n / 4, n / 2);
        double last = mean(v, n - n / 4, n);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return new Trend(name, v[Math.min(n - 1, n / 4)], min, max, v[n - 1], last - second,
                absolute + relative * second);
    }

    private static double mean(double[] v, int from, int to) {
        double sum = 0;
        int k = 0;
        for (int i = from; i < Math.max(to, from + 1) && i < v.length; i++) {
            sum += v[i];
            k++;
        }
        return k == 0 ? Double.NaN : sum / k;
    }

    /** @return the trends as a markdown table */
    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| resource | after warm-up | min | max | last | growth (last quarter vs second) | allowed | flat |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Trend t : trends()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %+.1f | %.1f | %s |%n", t.name(),
                    t.first(), t.min(), t.max(), t.last(), t.growth(), t.allowed(),
                    Double.isNaN(t.growth()) ? "n/a" : t.flat() ? "yes" : "NO"));
        }
        return sb.toString();
    }
}
