package io.iotpm.core.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records values into a {@link Distribution}, from any number of threads without a lock. A snapshot taken
 * while values are recorded may count a value before its total includes it; each figure is exact once the
 * recording threads are quiet.
 */
public final class DistributionRecorder {

    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    /**
     * Records one value.
     *
     * @param value the value, in the unit its owner documents; a negative one (a clock step back) counts as 0
     */
    public void record(long value) {
        long v = Math.max(0, value);
        count.increment();
        total.add(v);
        if (v > max.get()) {
            max.accumulateAndGet(v, Math::max);
        }
    }

    /** @return what was recorded so far */
    public Distribution snapshot() {
        return new Distribution(count.sum(), total.sum(), max.get());
    }
}
