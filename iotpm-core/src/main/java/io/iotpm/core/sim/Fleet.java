package io.iotpm.core.sim;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Many simulated devices in lock step: {@code PUMP_001 ... PUMP_010}, each an independent
 * {@link SensorSimulator} seeded from the fleet seed and its own id. Not thread-safe.
 */
public final class Fleet {

    private final List<SensorSimulator> simulators;
    private final long intervalNanos;

    private Fleet(List<SensorSimulator> simulators, Duration interval) {
        this.simulators = List.copyOf(simulators);
        this.intervalNanos = interval.toNanos();
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the simulators, in device id order */
    public List<SensorSimulator> simulators() {
        return simulators;
    }

    /** @return the device ids, in order */
    public List<String> deviceIds() {
        return simulators.stream().map(SensorSimulator::deviceId).toList();
    }

    /** @return one reading per device at the current step; every cursor advances */
    public List<SensorReading> next() {
        List<SensorReading> out = new ArrayList<>(simulators.size());
        for (SensorSimulator s : simulators) {
            out.add(s.next());
        }
        return out;
    }

    /**
     * Streams the readings of every device over the next {@code duration}, time-major (all devices at
     * step 0, then all at step 1, ...), generated lazily.
     *
     * @param duration time to cover, {@code > 0}
     * @return a sequential, ordered stream of {@code devices × duration / interval} readings
     */
    public Stream<SensorReading> history(Duration duration) {
        long steps = SensorSimulator.steps(duration, intervalNanos);
        int n = simulators.size();
        Spliterator<SensorReading> it = new Spliterators.AbstractSpliterator<>(steps * n,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            // Not SIZED on purpose: count() must still run the simulation, which advances the cursor.
            long left = steps * n;
            int device;

            @Override
            public boolean tryAdvance(Consumer<? super SensorReading> action) {
                if (left <= 0) {
                    return false;
                }
                left--;
                action.accept(simulators.get(device).next());
                device = device + 1 == n ? 0 : device + 1;
                return true;
            }
        };
        return StreamSupport.stream(it, false);
    }

    /** @return every device's events so far, ordered by time then device id */
    public List<DeviceEvent> events() {
        List<DeviceEvent> all = new ArrayList<>();
        for (SensorSimulator s : simulators) {
            all.addAll(s.events());
        }
        all.sort(Comparator.comparing(DeviceEvent::timestamp).thenComparing(DeviceEvent::deviceId));
        return all;
    }

    /** Builds a {@link Fleet}; every device shares the settings except its id. */
    public static final class Builder {
        private int devices = 10;
        private String idPrefix = "DEVICE_";
        private SensorSchema schema = SensorSchema.industrialMotor();
        private double failureProbability = SensorSimulator.DEFAULT_FAILURE_PROBABILITY;
        private long seed = 42;
        private Duration interval = SensorSimulator.DEFAULT_INTERVAL;
        private Instant start;
        private Clock clock = Clock.systemUTC();
        private Duration minLead = SensorSimulator.DEFAULT_MIN_LEAD_TIME;
        private Duration maxLead = SensorSimulator.DEFAULT_MAX_LEAD_TIME;
        private Duration repairTime = SensorSimulator.DEFAULT_REPAIR_TIME;
        private Consumer<DeviceEvent> listener;

        private Builder() {
        }

        /** @param devices how many devices, 1 to 100,000; default 10 */
        public Builder devices(int devices) {
            if (devices < 1 || devices > 100_000) {
                throw new IllegalArgumentException("devices must be in [1, 100000], but was " + devices);
            }
            this.devices = devices;
            return this;
        }

        /** @param idPrefix device ids are the prefix plus a 3-digit number from 001; default {@code DEVICE_} */
        public Builder idPrefix(String idPrefix) {
            this.idPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
            return this;
        }

        /** @param schema see {@link SensorSimulator.Builder#schema(SensorSchema)} */
        public Builder schema(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** @param p see {@link SensorSimulator.Builder#failureProbability(double)} */
        public Builder failureProbability(double p) {
            this.failureProbability = p;
            return this;
        }

        /** @param seed fleet seed; default 42 */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param interval see {@link SensorSimulator.Builder#interval(Duration)} */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** @param start timestamp of the first readings */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** @param clock gives the default start */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @param min shortest fault lead time @param max longest; see {@link SensorSimulator.Builder#leadTime} */
        public Builder leadTime(Duration min, Duration max) {
            this.minLead = min;
            this.maxLead = max;
            return this;
        }

        /** @param repairTime see {@link SensorSimulator.Builder#repairTime(Duration)} */
        public Builder repairTime(Duration repairTime) {
            this.repairTime = repairTime;
            return this;
        }

        /** @param listener receives every device's events */
        public Builder onEvent(Consumer<DeviceEvent> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * @return the fleet
         * @throws IllegalArgumentException if a setting is invalid (checked by each device's builder)
         */
        public Fleet build() {
            Instant s = start != null ? start : clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<SensorSimulator> sims = new ArrayList<>(devices);
            for (int i = 1; i <= devices; i++) {
                SensorSimulator.Builder b = SensorSimulator.builder()
                        .deviceId(idPrefix + String.format(Locale.ROOT, "%03d", i))
                        .schema(schema).failureProbability(failureProbability).seed(seed)
                        .interval(interval).start(s).leadTime(minLead, maxLead).repairTime(repairTime);
                if (listener != null) {
                    b.onEvent(listener);
                }
                sims.add(b.build());
            }
            return new Fleet(sims, interval);
        }
    }
}
