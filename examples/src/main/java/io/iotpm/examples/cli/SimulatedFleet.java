package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.FleetStreamer;
import io.iotpm.core.stream.StreamHub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated fleet behind {@code ./iotpm api}. On a store that already holds the fleet's readings
 * (a file store across restarts) it continues after the newest one and fills in only the time the
 * server was down, at most {@code history}; a fresh store gets {@code history} of readings. Streaming
 * then steps one sampling interval at a time, fast while simulated time is behind the wall clock and
 * never past it, so {@code last_seen} is never in the future.
 */
final class SimulatedFleet {

    /** Sampling interval of every simulated device. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Fleet fleet;
    private final Instant next;
    private final long stored;
    private final Clock clock;

    private SimulatedFleet(Fleet fleet, Instant next, long stored, Clock clock) {
        this.fleet = fleet;
        this.next = next;
        this.stored = stored;
        this.clock = clock;
    }

    /**
     * Stores the fleet's missing history up to the wall clock.
     *
     * @param store   where the history goes
     * @param devices how many devices
     * @param history how much history a fresh store gets, and the most a restart fills in
     * @param clock   the wall clock
     * @return the fleet, ready to stream on from where the store ends
     */
    static SimulatedFleet prepare(StorageBackend store, int devices, Duration history, Clock clock) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(history);
        for (int i = 1; i <= devices; i++) {
            List<SensorReading> last = store.latest("PUMP_" + String.format(Locale.ROOT, "%03d", i), 1);
            if (!last.isEmpty() && !last.get(0).timestamp().plus(INTERVAL).isBefore(start)) {
                start = last.get(0).timestamp().plus(INTERVAL);
            }
        }
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(42).failureProbability(0.5)
                .interval(INTERVAL).start(start).build();
        long steps = start.isBefore(end) ? Math.max(1, Duration.between(start, end).toNanos() / INTERVAL.toNanos()) : 0;
        long n = steps == 0 ? 0 : backfill(store, fleet, INTERVAL.multipliedBy(steps));
        fleet.events().forEach(store::appendEvent);   // failures label the training data
        return new SimulatedFleet(fleet, start.plus(INTERVAL.multipliedBy(steps)), n, clock);
    }

    /** @return the fleet */
    Fleet fleet() {
        return fleet;
    }

    /** @return how many readings {@link #prepare} stored */
    long stored() {
        return stored;
    }

    /**
     * Starts streaming onto the hub: every {@code period} one step, when its timestamp is not after the wall clock.
     *
     * @param hub    where readings go
     * @param period time between steps while catching up
     * @return the running stream; close it to stop
     */
    Streaming stream(StreamHub hub, Duration period) {
        Streaming s = new Streaming(FleetStreamer.builder(hub).fleet(fleet).build(), next, clock);
        s.timer.scheduleAtFixedRate(s::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** A running stream of the fleet, paced by simulated time against the wall clock. */
    static final class Streaming implements AutoCloseable {
        private final FleetStreamer streamer;
        private final Clock clock;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iotpm-api-fleet");
            t.setDaemon(true);
            return t;
        });
        private Instant next;

        Streaming(FleetStreamer streamer, Instant next, Clock clock) {
            this.streamer = streamer;
            this.next = next;
            this.clock = clock;
        }

        /** @return whether a step was published (it was due: its timestamp is not after the wall clock) */
        synchronized boolean tick() {
            if (next.isAfter(clock.instant())) {
                return false;
            }
            try {
                streamer.step();
            } catch (IllegalStateException e) {
                return false;   // the hub closed: the server is stopping
            }
            next = next.plus(INTERVAL);
            return true;
        }

        /** @return how many devices stream */
        int devices() {
            return streamer.devices();
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            streamer.close();
        }
    }

    static long backfill(StorageBackend store, Fleet fleet, Duration history) {
        List<SensorReading> batch = new ArrayList<>(5_000);
        long[] n = {0};
        fleet.history(history).forEach(r -> {
            batch.add(r);
            if (batch.size() == 5_000) {
                store.appendAll(batch);
                n[0] += batch.size();
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            store.appendAll(batch);
            n[0] += batch.size();
        }
        return n[0];
    }
}
