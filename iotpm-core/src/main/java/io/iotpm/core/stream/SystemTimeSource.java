package io.iotpm.core.stream;

import java.util.concurrent.TimeUnit;

/** Wall time: {@link System#nanoTime()} and real sleeping. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
