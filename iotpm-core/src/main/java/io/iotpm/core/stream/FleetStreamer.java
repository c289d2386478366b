package io.iotpm.core.stream;

import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.sim.SensorSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives simulated devices onto a hub, the original system's {@code start_streaming(interval_seconds=5)}:
 * every {@link Builder#period(Duration) period}, one step publishes the next reading of every
 * simulator to {@link Topic#READINGS} (or, built with {@link #builder(ReadingSink)}, to any other
 * {@link ReadingSink}, such as simulated devices publishing over MQTT). Each simulator advances by its own sampling interval per
 * step, so a 1-minute simulator streamed every 5 s runs 12× faster than real time.
 *
 * <p>{@link #start()} paces steps on a thread of its own using the {@link TimeSource}; with
 * {@link TimeSource#virtual()} a simulated day streams in milliseconds. {@link #step()} and
 * {@link #advance(long)} publish synchronously on the caller's thread, as fast as the hub accepts.
 * A reading the hub refuses (a {@link Overflow#FAIL} subscriber is full) is counted in
 * {@link #errors()} and streaming goes on; a closed hub stops the streamer.
 */
public final class FleetStreamer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStreamer.class);

    /** Default time between steps, as in the original system. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final ReadingSink sink;
    private final List<SensorSimulator> simulators;
    private final long periodNanos;
    private final long maxSteps;
    private final TimeSource time;
    private final ThreadFactory threadFactory;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object stepLock = new Object();
    private volatile Thread thread;
    private volatile boolean stopped;

    private FleetStreamer(Builder b) {
        this.sink = b.sink;
        this.simulators = b.simulators;
        this.periodNanos = b.period.toNanos();
        this.maxSteps = b.maxSteps;
        this.time = b.time;
        this.threadFactory = b.threadFactory;
    }

    /**
     * @param hub where readings are published
     * @return a builder; set {@link Builder#fleet(Fleet)} or {@link Builder#simulators(List)}
     */
    public static Builder builder(StreamHub hub) {
        return new Builder(ReadingSink.of(Objects.requireNonNull(hub, "hub")));
    }

    /**
     * @param sink where readings go instead of a hub; a refused reading counts in {@link #errors()},
     *             a closed sink stops the streamer
     * @return a builder; set {@link Builder#fleet(Fleet)} or {@link Builder#simulators(List)}
     */
    public static Builder builder(ReadingSink sink) {
        return new Builder(sink);
    }

    /**
     * Publishes one reading of every simulator, now, on the caller's thread.
     *
     * @return how many readings the hub accepted
     * @throws IllegalStateException if the hub is closed
     */
    public int step() {
        synchronized (stepLock) {
            int ok = 0;
            for (SensorSimulator sim : simulators) {
                SensorReading r = sim.next();
                try {
                    sink.accept(r);
                    ok++;
                } catch (StreamOverflowException e) {
                    errors.incrementAndGet();
                    LOG.debug("reading of device '{}' refused: {}", r.deviceId(), e.getMessage());
                }
            }
            steps.incrementAndGet();
            published.addAndGet(ok);
            return ok;
        }
    }

    /**
     * Runs {@code n} steps back to back on the caller's thread (accelerated time).
     *
     * @param n steps, {@code >= 0}
     * @return readings accepted by the hub
     */
    public long advance(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("steps must be >= 0, but was " + n);
        }
        long ok = 0;
        for (long i = 0; i < n; i++) {
            ok += step();
        }
        return ok;
    }

    /**
     * Starts stepping every period on a new thread (by default a daemon named
     * {@code iotpm-streamer}), until {@link Builder#steps(long)} steps, {@link #close()} or a closed hub.
     *
     * @return this
     * @throws IllegalStateException if already started or closed
     */
    public synchronized FleetStreamer start() {
        if (thread != null || stopped) {
            throw new IllegalStateException("streamer already " + (stopped ? "closed" : "started"));
        }
        Thread t = threadFactory != null ? threadFactory.newThread(this::run) : new Thread(this::run);
        if (threadFactory == null) {
            t.setName("iotpm-streamer");
            t.setDaemon(true);
        }
        thread = t;
        t.start();
        return this;
    }

    private void run() {
        try {
            long next = time.nanoTime();
            while (!stopped && (maxSteps < 0 || steps.get() < maxSteps)) {
                step();
                next += periodNanos;
                long wait = next - time.nanoTime();
                if (wait > 0) {
                    time.sleepNanos(wait);
                } else if (-wait > periodNanos) {
                    // Far behind (a blocked hub): restart the schedule rather than burst to catch up.
                    next = time.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            if (!sink.isClosed()) {
                throw e;
            }
            LOG.debug("sink closed; streamer stops");
        } finally {
            finished.countDown();
        }
    }

    /**
     * Waits for the stepping thread to end (after {@link Builder#steps(long)} steps).
     *
     * @param timeout how long at most
     * @return whether it ended
     * @throws InterruptedException if interrupted
     */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return steps run so far */
    public long steps() {
        return steps.get();
    }

    /** @return readings the hub accepted so far */
    public long published() {
        return published.get();
    }

    /** @return readings the hub refused (overflow) so far */
    public long errors() {
        return errors.get();
    }

    /** @return the number of simulated devices */
    public int devices() {
        return simulators.size();
    }

    /** Stops the stepping thread and waits for it; the hub stays open. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a {@link FleetStreamer}. */
    public static final class Builder {
        private final ReadingSink sink;
        private List<SensorSimulator> simulators;
        private Duration period = DEFAULT_PERIOD;
        private long maxSteps = -1;
        private TimeSource time = TimeSource.system();
        private ThreadFactory threadFactory;

        private Builder(ReadingSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** @param fleet the devices to stream (the streamer drives the fleet's simulators) */
        public Builder fleet(Fleet fleet) {
            return simulators(Objects.requireNonNull(fleet, "fleet").simulators());
        }

        /** @param simulators the devices to stream; the streamer owns them while it runs */
        public Builder simulators(List<SensorSimulator> simulators) {
            Objects.requireNonNull(simulators, "simulators");
            if (simulators.isEmpty()) {
                throw new IllegalArgumentException("simulators must not be empty");
            }
            this.simulators = List.copyOf(simulators);
            return this;
        }

        /** @param period time between steps, {@code >= 1 ms}; default 5 seconds */
        public Builder period(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.toMillis() < 1) {
                throw new IllegalArgumentException("period must be >= 1 ms, but was " + period);
            }
            this.period = period;
            return this;
        }

        /** @param steps stop {@link #start() started} streaming after this many steps, {@code > 0}; default never */
        public Builder steps(long steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be > 0, but was " + steps);
            }
            this.maxSteps = steps;
            return this;
        }

        /** @param time clock and sleeper for pacing; default {@link TimeSource#system()} */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** @param threadFactory makes the stepping thread; default a daemon named {@code iotpm-streamer} */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * @return the streamer, not started
         * @throws IllegalStateException if no simulators were set
         */
        public FleetStreamer build() {
            if (simulators == null) {
                throw new IllegalStateException("set fleet(...) or simulators(...) before build()");
            }
            return new FleetStreamer(this);
        }
    }
}
