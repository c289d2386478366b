package io.iotpm.storage.csv;

import io.iotpm.core.SensorReading;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;

/**
 * Rows and last timestamp of one device, by day, and a cache of its newest readings so that
 * {@code latest(n)} for {@code n <= TAIL} does not parse a day file. Guarded by the store's
 * lock; {@link #tail} also by synchronizing on this object, as readers fill it lazily.
 */
final class DeviceIndex {

    /** Newest readings per device kept in memory for {@code latest(deviceId, n)}. */
    static final int TAIL = 256;

    /** Readings (distinct timestamps) per day; a day file may hold more rows, superseded ones. */
    final TreeMap<LocalDate, Long> rowsPerDay = new TreeMap<>();
    long count;
    Instant lastSeen;
    /** The newest min(TAIL, count) readings in time order, one per timestamp, or null when not loaded. */
    List<SensorReading> tail;

    void addToTail(SensorReading r) {
        if (tail == null) {
            return;
        }
        if (tail.size() == TAIL && r.timestamp().isBefore(tail.get(0).timestamp())) {
            return;   // older than every cached reading of a full cache: not among the newest
        }
        int lo = 0;
        int hi = tail.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (tail.get(mid).timestamp().isAfter(r.timestamp())) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo > 0 && tail.get(lo - 1).timestamp().equals(r.timestamp())) {
            tail.set(lo - 1, r);   // same timestamp: the last write wins
            return;
        }
        tail.add(lo, r);
        if (tail.size() > TAIL) {
            tail.remove(0);
        }
    }

    void add(LocalDate day, Instant t, long rows) {
        rowsPerDay.merge(day, rows, Long::sum);
        count += rows;
        if (lastSeen == null || t.isAfter(lastSeen)) {
            lastSeen = t;
        }
    }
}
