package io.iotpm.core.stream;

import java.util.concurrent.atomic.AtomicLong;

/** Simulated time starting at 0: sleeping moves it forward and returns at once. Thread-safe. */
final class VirtualTimeSource implements TimeSource {

    private final AtomicLong now = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos > 0) {
            now.addAndGet(nanos);
        }
    }

    @Override
    public String toString() {
        return "VirtualTimeSource[" + now.get() + " ns]";
    }
}
