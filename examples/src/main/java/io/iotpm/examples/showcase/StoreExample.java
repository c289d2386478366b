package io.iotpm.examples.showcase;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Store: readings and events into any storage URI ({@code memory:}, {@code csv:DIR},
 * {@code sqlite:FILE}, or a plugin's scheme), in batches, then read back the devices, the newest
 * readings and a time range.
 */
public final class StoreExample {

    private StoreExample() {
    }

    /**
     * What was stored and read back.
     *
     * @param stored  readings appended
     * @param devices the stored devices, ordered by id
     * @param latest  the newest readings of the first device, newest first
     * @param events  the events of the first device
     * @param firstHour the first device's readings of the first simulated hour, oldest first
     */
    public record Result(long stored, List<DeviceInfo> devices, List<SensorReading> latest, List<DeviceEvent> events,
                         List<SensorReading> firstHour) {
    }

    /**
     * Stores a simulated day of {@code devices} motors in {@code uri} and reads it back.
     *
     * @param uri     the storage URI, e.g. {@code sqlite:data/iot.db}
     * @param devices how many motors
     * @param seed    the simulation's seed
     * @return what was stored and read back
     */
    public static Result run(String uri, int devices, long seed) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(1.0)
                .start(start).build();
        try (StorageBackend store = StorageBackends.open(uri)) {
            long stored = storeHistory(fleet, Duration.ofDays(1), store);

            String first = store.devices().get(0).deviceId();
            return new Result(stored, store.devices(), store.latest(first, 5),
                    store.events(first, start, start.plus(Duration.ofDays(2))),
                    store.range(first, start, start.plus(Duration.ofHours(1))));
        }
    }

    /**
     * Stores a fleet's history in batches of 1,000, then its events. Batches are one transaction each,
     * all or nothing, and far faster than one append per reading.
     *
     * @param fleet    the simulated fleet
     * @param duration how much history
     * @param store    where to store it
     * @return the number of readings stored
     */
    public static long storeHistory(Fleet fleet, Duration duration, StorageBackend store) {
        List<SensorReading> batch = new ArrayList<>(1_000);
        long[] n = {0};
        fleet.history(duration).forEach(r -> {
            batch.add(r);
            if (batch.size() == 1_000) {
                store.appendAll(batch);
                n[0] += batch.size();
                batch.clear();
            }
        });
        store.appendAll(batch);
        n[0] += batch.size();
        for (DeviceEvent e : fleet.events()) {
            store.appendEvent(e);
        }
        return n[0];
    }

    /**
     * Stores three motors in memory and prints what came back.
     *
     * @param args optional storage URI (default {@code memory:})
     */
    public static void main(String[] args) {
        Result r = run(args.length > 0 ? args[0] : "memory:", 3, 42);
        System.out.println("stored " + r.stored() + " readings; devices " + r.devices());
        r.latest().forEach(System.out::println);
    }
}
