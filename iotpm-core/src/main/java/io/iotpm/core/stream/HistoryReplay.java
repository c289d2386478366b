package io.iotpm.core.stream;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replays stored readings onto a hub in timestamp order, at a speed factor: with speed 60 an hour
 * of history streams in a minute; with {@link Double#POSITIVE_INFINITY} as fast as the hub
 * accepts. History is read chunk by chunk, so memory stays bounded by one chunk of readings.
 *
 * <pre>{@code
 * long n = HistoryReplay.builder(store, from, to).speed(3600).build().run(hub);
 * }</pre>
 */
public final class HistoryReplay {

    /** Default length of the history read from storage at once. */
    public static final Duration DEFAULT_CHUNK = Duration.ofHours(1);

    private static final Comparator<SensorReading> ORDER =
            Comparator.comparing(SensorReading::timestamp).thenComparing(SensorReading::deviceId);

    private final StorageBackend storage;
    private final Instant from;
    private final Instant to;
    private final List<String> devices;
    private final double speed;
    private final Duration chunk;
    private final TimeSource time;

    private HistoryReplay(Builder b) {
        this.storage = b.storage;
        this.from = b.from;
        this.to = b.to;
        this.devices = b.devices;
        this.speed = b.speed;
        this.chunk = b.chunk;
        this.time = b.time;
    }

    /**
     * @param storage where the history is
     * @param from    inclusive start
     * @param to      exclusive end, after {@code from}
     * @return a builder
     * @throws IllegalArgumentException if {@code to} is not after {@code from}
     */
    public static Builder builder(StorageBackend storage, Instant from, Instant to) {
        return new Builder(storage, from, to);
    }

    /**
     * Publishes the history to {@link Topic#READINGS}, on the caller's thread.
     *
     * @param hub the hub
     * @return how many readings were published
     * @throws InterruptedException if interrupted while pacing
     */
    public long run(StreamHub hub) throws InterruptedException {
        Objects.requireNonNull(hub, "hub");
        List<String> ids = devices != null ? devices : storage.devices().stream().map(DeviceInfo::deviceId).toList();
        long count = 0;
        long startNanos = time.nanoTime();
        Instant first = null;
        for (Instant a = from; a.isBefore(to); ) {
            Instant b = a.plus(chunk).isBefore(to) ? a.plus(chunk) : to;
            List<SensorReading> batch = new ArrayList<>();
            for (String id : ids) {
                batch.addAll(storage.range(id, a, b));
            }
            batch.sort(ORDER);
            for (SensorReading r : batch) {
                if (first == null) {
                    first = r.timestamp();
                }
                if (speed != Double.POSITIVE_INFINITY) {
                    long due = startNanos + (long) (Duration.between(first, r.timestamp()).toNanos() / speed);
                    long wait = due - time.nanoTime();
                    if (wait > 0) {
                        time.sleepNanos(wait);
                    }
                }
                hub.publish(Topic.READINGS, r);
                count++;
            }
            a = b;
        }
        return count;
    }

    /** Builds a {@link HistoryReplay}. */
    public static final class Builder {
        private final StorageBackend storage;
        private final Instant from;
        private final Instant to;
        private List<String> devices;
        private double speed = 1.0;
        private Duration chunk = DEFAULT_CHUNK;
        private TimeSource time = TimeSource.system();

        private Builder(StorageBackend storage, Instant from, Instant to) {
            this.storage = Objects.requireNonNull(storage, "storage");
            this.from = Objects.requireNonNull(from, "from");
            this.to = Objects.requireNonNull(to, "to");
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("replay needs from < to, but was " + from + " .. " + to);
            }
        }

        /** @param devices which devices to replay; default every device the storage knows */
        public Builder devices(List<String> devices) {
            this.devices = List.copyOf(devices);
            return this;
        }

        /**
         * @param speed how many times faster than recorded, {@code > 0}; {@link Double#POSITIVE_INFINITY}
         *              for no pacing; default 1 (real time)
         */
        public Builder speed(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0, but was " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** @param chunk how much history is read from storage at once, {@code >= 1 s}; default 1 hour */
        public Builder chunk(Duration chunk) {
            Objects.requireNonNull(chunk, "chunk");
            if (chunk.getSeconds() < 1) {
                throw new IllegalArgumentException("chunk must be >= 1 s, but was " + chunk);
            }
            this.chunk = chunk;
            return this;
        }

        /** @param time clock and sleeper for pacing; default {@link TimeSource#system()} */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** @return the replay */
        public HistoryReplay build() {
            return new HistoryReplay(this);
        }
    }
}
