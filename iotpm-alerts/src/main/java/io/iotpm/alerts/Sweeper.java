package io.iotpm.alerts;

import io.iotpm.core.concurrent.SingleThreadScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Decides when the manager's time-based work runs: from ingest at most once per sweep interval of
 * clock time, from an optional background ticker thread, or on demand. At most one sweep runs at a
 * time; a caller that finds one running skips its own rather than wait, because the running one
 * does the same work.
 */
final class Sweeper {

    // Logs under the facade's name, as before the split, so a host's logger settings still apply.
    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    private final Clock clock;
    private final long intervalMillis;
    private final LongConsumer work;
    private final BooleanSupplier closed;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long nextSweep = Long.MIN_VALUE;
    private final long tickMillis;
    private final SingleThreadScheduler ticker;

    /**
     * @param interval run from {@link #maybeSweep} at most this often
     * @param work     the sweep itself, given the clock time it runs at
     * @param closed   tells the ticker to skip sweeps once the manager is closing
     * @param threads  creates the ticker thread; {@code tickInterval} zero creates none
     */
    Sweeper(Clock clock, Duration interval, LongConsumer work, BooleanSupplier closed, Duration tickInterval,
            ThreadFactory threads) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.work = work;
        this.closed = closed;
        this.tickMillis = tickInterval.toMillis();
        if (tickInterval.isZero()) {
            this.ticker = null;
        } else {
            this.ticker = SingleThreadScheduler.create(r -> {
                Thread t = threads.newThread(r);
                t.setName("iotpm-alerts-ticker");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Starts the ticker, if any. */
    void start() {
        if (ticker != null) {
            ticker.executor().scheduleWithFixedDelay(this::tickQuietly, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Sweeps if the sweep interval has passed since the last sweep started; the ingest path's call. */
    void maybeSweep(long now) {
        if (now >= nextSweep) {
            sweep(now);
        }
    }

    /** Sweeps now, unless a sweep is running already. */
    void sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            nextSweep = now + intervalMillis;
            work.accept(now);
        } finally {
            sweeping.set(false);
        }
    }

    /** Stops the ticker and waits up to a second for a sweep in progress and for its thread. */
    void close() {
        if (ticker != null && !ticker.stop(Duration.ofSeconds(1))) {
            LOG.warn("alert ticker thread did not stop within 1 s");
        }
    }

    private void tickQuietly() {
        try {
            if (!closed.getAsBoolean()) {
                sweep(clock.millis());
            }
        } catch (RuntimeException e) {
            LOG.warn("alert sweep failed", e);
        }
    }
}
