package io.iotpm.benchmarks.mqtt;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU of this JVM (MXBean) and of another process (/proc/PID/stat), heap, and the machine's load. */
final class SystemStats {

    private static final double CLOCK_TICKS = 100.0;

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long markWall;
    private long markJvm;
    private long markOther;
    private long lastWall;
    private long lastJvm;
    private long lastOther;

    void mark(long pid) {
        markWall = lastWall = System.nanoTime();
        markJvm = lastJvm = os.getProcessCpuTime();
        markOther = lastOther = ticks(pid);
    }

    /** @return {jvm, other} CPU in percent of one core since the last call */
    double[] cpuSinceLast(long pid) {
        long wall = System.nanoTime();
        long jvm = os.getProcessCpuTime();
        long other = ticks(pid);
        double[] r = percent(wall - lastWall, jvm - lastJvm, other - lastOther);
        lastWall = wall;
        lastJvm = jvm;
        lastOther = other;
        return r;
    }

    /** @return {jvm, other} CPU in percent of one core since {@link #mark(long)} */
    double[] cpuSinceMark(long pid) {
        return percent(System.nanoTime() - markWall, os.getProcessCpuTime() - markJvm, ticks(pid) - markOther);
    }

    private static double[] percent(long wallNanos, long jvmNanos, long otherTicks) {
        double w = Math.max(1, wallNanos);
        return new double[] {100.0 * jvmNanos / w, 100.0 * otherTicks / CLOCK_TICKS * 1e9 / w};
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    private static long ticks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long heapUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1 << 20);
    }

    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim() + " (1/5/15-min load, running/total, last pid)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
