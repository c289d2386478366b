package io.iotpm.core.retention;

import io.iotpm.core.concurrent.SingleThreadScheduler;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Removes old data on a schedule: every {@link Builder#every(Duration)}, each target loses what is
 * older than its age by the injected {@link Clock}. A target that throws is logged and counted, and
 * the others still run; the next run tries it again, except after an
 * {@link UnsupportedOperationException} (the backend cannot do it), which is logged once. Owned by whoever starts it (a
 * {@code MonitoringPipeline}, the API server, or the host), which closes it.
 *
 * <pre>{@code
 * RetentionTask retention = RetentionTask.builder()
 *     .target(Retainable.readings(storage), config.get(IotpmConfig.DATA_RETENTION))
 *     .target(Retainable.events(storage), config.get(IotpmConfig.EVENT_RETENTION))
 *     .every(Duration.ofHours(1)).build().start();
 * }</pre>
 *
 * <p>Thread-safe; runs never overlap.
 */
public final class RetentionTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);

    /** Default interval between runs. */
    public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

    private record Target(Retainable target, Duration age) {
    }

    private final List<Target> targets;
    private final Duration every;
    private final Duration initialDelay;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    // Null when the host injected the scheduler: then the host stops it.
    private final SingleThreadScheduler ownScheduler;
    private final Map<String, Long> removed = new LinkedHashMap<>();
    private final Set<String> unsupported = new HashSet<>();
    private long runs;
    private long failures;
    private Instant lastRun;
    private ScheduledFuture<?> future;
    private boolean closed;

    private RetentionTask(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.every = b.every;
        this.initialDelay = b.initialDelay == null ? b.every : b.initialDelay;
        this.clock = b.clock;
        this.ownScheduler = b.scheduler == null ? SingleThreadScheduler.named("iotpm-retention") : null;
        this.scheduler = b.scheduler != null ? b.scheduler : ownScheduler.executor();
        for (Target t : targets) {
            removed.put(t.target.name(), 0L);
        }
    }

    /**
     * A builder with the storage's readings ({@code DATA_RETENTION}) and events
     * ({@code EVENT_RETENTION}) as targets, run every {@code RETENTION_INTERVAL}. Add an alert
     * store's history with {@code target(store, config.get(IotpmConfig.ALERT_HISTORY_RETENTION))}.
     *
     * @param config  the settings
     * @param storage the storage to trim
     * @return the builder, for more targets, a clock or a scheduler
     */
    public static Builder fromConfig(IotpmConfig config, StorageBackend storage) {
        return builder().target(Retainable.readings(storage), config.get(IotpmConfig.DATA_RETENTION))
                .target(Retainable.events(storage), config.get(IotpmConfig.EVENT_RETENTION))
                .every(config.get(IotpmConfig.RETENTION_INTERVAL));
    }

    /** @return a builder; at least one {@link Builder#target(Retainable, Duration)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Schedules the runs: the first after the initial delay, then every interval.
     *
     * @return this
     * @throws IllegalStateException if already started or closed
     */
    public synchronized RetentionTask start() {
        if (closed || future != null) {
            throw new IllegalStateException("retention task already " + (closed ? "closed" : "started"));
        }
        future = scheduler.scheduleWithFixedDelay(this::runQuietly, initialDelay.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs every target now, on the caller's thread.
     *
     * @return items removed in this run, per target name
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized Map<String, Long> runOnce() {
        if (closed) {
            throw new IllegalStateException("retention task is closed");
        }
        Instant now = clock.instant();
        Map<String, Long> out = new LinkedHashMap<>();
        for (Target t : targets) {
            String name = t.target.name();
            if (unsupported.contains(name)) {
                continue;
            }
            try {
                long n = t.target.removeBefore(now.minus(t.age));
                out.put(name, n);
                removed.merge(name, n, Long::sum);
            } catch (UnsupportedOperationException e) {
                // A backend without the operation (e.g. events alone on CSV) will not grow it: say so once.
                unsupported.add(name);
                failures++;
                LOG.warn("retention of '{}' is not supported here and is skipped from now on: {}", name,
                        e.getMessage());
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("retention of '{}' failed (retried next run): {}", name, e.toString());
            }
        }
        runs++;
        lastRun = now;
        LOG.debug("retention removed {}", out);
        return out;
    }

    /** @return the counters now */
    public synchronized RetentionMetrics metrics() {
        return new RetentionMetrics(runs, failures, new LinkedHashMap<>(removed), lastRun);
    }

    /**
     * Cancels the schedule and waits for a run in progress; stops the scheduler if the task made it
     * (an injected one is left running for its owner). Idempotent.
     */
    @Override
    public void close() {
        ScheduledFuture<?> f;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            f = future;
        }
        if (f != null) {
            f.cancel(false);
        }
        if (ownScheduler != null && !ownScheduler.stop(Duration.ofSeconds(10))) {
            LOG.warn("retention thread did not stop within 10 s");
        }
    }

    private void runQuietly() {
        try {
            synchronized (this) {
                if (!closed) {
                    runOnce();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("retention run failed", e);
        }
    }

    @Override
    public String toString() {
        return "RetentionTask" + targets.stream().map(t -> t.target.name() + "=" + t.age).toList() + " every " + every;
    }

    /** Builds a {@link RetentionTask}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private final List<Target> targets = new ArrayList<>();
        private Duration every = DEFAULT_EVERY;
        private Duration initialDelay;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;

        private Builder() {
        }

        /**
         * @param target what to trim; its name must be unique within the task
         * @param age    how much to keep, {@code > 0}: what is older than {@code now - age} is removed
         */
        public Builder target(Retainable target, Duration age) {
            Objects.requireNonNull(target, "target");
            positive("age of '" + target.name() + "'", age);
            for (Target t : targets) {
                if (t.target.name().equals(target.name())) {
                    throw new IllegalArgumentException("a target named '" + target.name() + "' was added already");
                }
            }
            targets.add(new Target(target, age));
            return this;
        }

        /** @param every interval between runs, {@code >= 1 ms}; default 1 hour */
        public Builder every(Duration every) {
            positive("every", every);
            if (every.toMillis() < 1) {
                throw new IllegalArgumentException("every must be >= 1 ms, but was " + every);
            }
            this.every = every;
            return this;
        }

        /** @param delay wait before the first run, {@code >= 0}; default the interval */
        public Builder initialDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must be >= 0, but was " + delay);
            }
            this.initialDelay = delay;
            return this;
        }

        /** @param clock says what "now" is for the ages; default the system UTC clock */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param scheduler runs the schedule; default a daemon thread {@code iotpm-retention} the task
         *                  stops on close. An injected one is not shut down by the task.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * @return the task, not started
         * @throws IllegalStateException without a target
         */
        public RetentionTask build() {
            if (targets.isEmpty()) {
                throw new IllegalStateException("add at least one target(...)");
            }
            return new RetentionTask(this);
        }

        private static void positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0, but was " + d);
            }
        }
    }
}
