package io.iotpm.core.sim;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Simulates one machine: physically plausible readings (slow drift, daily load cycle, correlated
 * channels, thermal lag), a health score that degrades with wear and drops fast before a failure,
 * failures of several {@link FailureMode}s with signatures that precede them by hours, and repair.
 *
 * <p>The simulator has a cursor time, starting at {@link Builder#start(Instant)}; {@link #next()}
 * returns the reading at the cursor and advances it by one interval. {@link #history(Duration)}
 * streams the next readings covering a duration (the original system's
 * {@code generate_historical_data(days=30)} is {@code start(now - 30 days)} then
 * {@code history(30 days)}). Failure and maintenance events are collected in {@link #events()} and
 * passed to the {@link Builder#onEvent(Consumer) event listener}.
 *
 * <p>The same builder settings and seed give exactly the same readings and events. An instance is
 * not thread-safe: one thread drives it.
 */
public final class SensorSimulator {

    /** Default probability that a fault starts developing on a given day. */
    public static final double DEFAULT_FAILURE_PROBABILITY = 0.05;
    /** Default sampling interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Default time from fault onset to failure, lower bound. */
    public static final Duration DEFAULT_MIN_LEAD_TIME = Duration.ofHours(6);
    /** Default time from fault onset to failure, upper bound. */
    public static final Duration DEFAULT_MAX_LEAD_TIME = Duration.ofHours(36);
    /** Default downtime between a failure and the repair that restarts the device. */
    public static final Duration DEFAULT_REPAIR_TIME = Duration.ofHours(2);

    private final String deviceId;
    private final SensorSchema schema;
    private final long intervalNanos;
    private final DeviceModel model;
    private final List<DeviceEvent> events = new ArrayList<>();
    private final Consumer<DeviceEvent> listener;
    private Instant cursor;

    private SensorSimulator(Builder b, Instant start) {
        this.deviceId = b.deviceId;
        this.schema = b.schema;
        this.intervalNanos = b.interval.toNanos();
        this.cursor = start;
        this.listener = b.listener;
        this.model = DeviceModel.create(b.schema, b.deviceId, b.seed, b.failureProbability,
                b.interval, b.minLeadTime, b.maxLeadTime, b.repairTime, b.forcedMode);
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the device id */
    public String deviceId() {
        return deviceId;
    }

    /** @return the schema of the readings */
    public SensorSchema schema() {
        return schema;
    }

    /** @return the timestamp the next reading will carry */
    public Instant cursor() {
        return cursor;
    }

    /** @return the reading at the cursor; the cursor advances by one interval */
    public SensorReading next() {
        Instant t = cursor;
        double[] values = new double[schema.size()];
        double health = model.step(t, values, this::emit);
        cursor = t.plusNanos(intervalNanos);
        return SensorReading.of(deviceId, t, schema, values, health);
    }

    /**
     * Streams the readings of the next {@code duration}: {@code duration / interval} readings,
     * generated lazily as the stream is consumed (each advances the cursor).
     *
     * @param duration how much time to cover, {@code > 0}
     * @return a sequential, ordered stream
     */
    public Stream<SensorReading> history(Duration duration) {
        long n = steps(duration, intervalNanos);
        Spliterator<SensorReading> it = new Spliterators.AbstractSpliterator<>(n,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            // Not SIZED on purpose: count() must still run the simulation, which advances the cursor.
            long left = n;

            @Override
            public boolean tryAdvance(Consumer<? super SensorReading> action) {
                if (left <= 0) {
                    return false;
                }
                left--;
                action.accept(next());
                return true;
            }
        };
        return StreamSupport.stream(it, false);
    }

    /** @return every failure and maintenance event so far, oldest first (a copy) */
    public List<DeviceEvent> events() {
        return List.copyOf(events);
    }

    /** @return the current health score in {@code [0, 100]} (ground truth) */
    public double health() {
        return model.health();
    }

    /** @return the failure mode developing right now, or {@code null} when healthy or failed */
    public FailureMode developingFault() {
        return model.developingFault();
    }

    private void emit(DeviceEvent e) {
        events.add(e);
        if (listener != null) {
            listener.accept(e);
        }
    }

    static long steps(Duration duration, long intervalNanos) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be > 0, but was " + duration);
        }
        return Math.max(1, duration.toNanos() / intervalNanos);
    }

    /** Builds a {@link SensorSimulator}. A builder can be reused; {@link #build()} does not change it. */
    public static final class Builder {
        private String deviceId = "DEVICE_001";
        private SensorSchema schema = SensorSchema.industrialMotor();
        private double failureProbability = DEFAULT_FAILURE_PROBABILITY;
        private long seed = 42;
        private Duration interval = DEFAULT_INTERVAL;
        private Instant start;
        private Clock clock = Clock.systemUTC();
        private Duration minLeadTime = DEFAULT_MIN_LEAD_TIME;
        private Duration maxLeadTime = DEFAULT_MAX_LEAD_TIME;
        private Duration repairTime = DEFAULT_REPAIR_TIME;
        private FailureMode forcedMode;
        private Consumer<DeviceEvent> listener;

        private Builder() {
        }

        /** @param deviceId the device id; default {@code DEVICE_001} */
        public Builder deviceId(String deviceId) {
            this.deviceId = DeviceIds.requireValid(deviceId);
            return this;
        }

        /**
         * @param schema the channels; default {@link SensorSchema#industrialMotor()}, whose channels get
         *               the motor physics and the five motor failure modes; any other schema gets a
         *               generic drift model and {@link FailureMode#DEGRADATION}
         */
        public Builder schema(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * @param p probability that a fault starts developing on a given day, in {@code [0, 1]};
         *          default {@value #DEFAULT_FAILURE_PROBABILITY}. Wear raises it slowly.
         */
        public Builder failureProbability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("failureProbability must be in [0, 1], but was " + p);
            }
            this.failureProbability = p;
            return this;
        }

        /** @param seed random seed; default 42. Each device mixes in its id, so fleets stay independent. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param interval sampling interval, between 1 ms and 1 day; default 1 minute */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 1 || interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("interval must be between 1 ms and 1 day, but was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** @param start timestamp of the first reading; default the clock's instant, truncated to seconds */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /** @param clock gives the default start; default {@link Clock#systemUTC()} */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param min shortest time from fault onset to failure; default 6 hours
         * @param max longest; default 36 hours
         */
        public Builder leadTime(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("lead time needs 0 < min <= max, but was " + min + " .. " + max);
            }
            this.minLeadTime = min;
            this.maxLeadTime = max;
            return this;
        }

        /** @param repairTime downtime after a failure before the device restarts healthy; default 2 hours */
        public Builder repairTime(Duration repairTime) {
            Objects.requireNonNull(repairTime, "repairTime");
            if (repairTime.isNegative()) {
                throw new IllegalArgumentException("repairTime must be >= 0, but was " + repairTime);
            }
            this.repairTime = repairTime;
            return this;
        }

        /** @param mode makes every fault of this device develop in that mode; default random per fault */
        public Builder failureMode(FailureMode mode) {
            this.forcedMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** @param listener called on the simulating thread for each failure and maintenance event */
        public Builder onEvent(Consumer<DeviceEvent> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * @return a new simulator
         * @throws IllegalArgumentException if a motor failure mode is forced on another schema, or the
         *                                  other way round
         */
        public SensorSimulator build() {
            if (forcedMode != null) {
                boolean motor = MotorModel.fits(schema);
                if (motor == (forcedMode == FailureMode.DEGRADATION)) {
                    throw new IllegalArgumentException("failure mode " + forcedMode + " does not apply to schema '"
                            + schema.name() + "'");
                }
            }
            Instant s = start != null ? start : clock.instant().truncatedTo(ChronoUnit.SECONDS);
            return new SensorSimulator(this, s);
        }
    }
}
