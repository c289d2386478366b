package io.iotpm.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The silences of one manager. Lock-free: the list is copy-on-write because it is read for every
 * notification (under a device lock, which must not wait for anything) and changed rarely.
 */
final class Silences {

    private final CopyOnWriteArrayList<Silence> silences = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** @return {@code silence} with a fresh id, now in force */
    Silence add(Silence silence) {
        Silence s = Objects.requireNonNull(silence, "silence").withId(ids.incrementAndGet());
        silences.add(s);
        return s;
    }

    /** @return whether a silence with that id was removed */
    boolean remove(long id) {
        return silences.removeIf(s -> s.id() == id);
    }

    /** @return the silences that have not ended at {@code now} */
    List<Silence> current(Instant now) {
        return silences.stream().filter(s -> now.isBefore(s.until())).toList();
    }

    /** @return whether a silence mutes {@code rule} on {@code deviceId} at manager time {@code now} */
    boolean mutes(String rule, String deviceId, long now) {
        if (silences.isEmpty()) {
            return false;
        }
        Instant t = Instant.ofEpochMilli(now);
        for (Silence s : silences) {
            if (s.matches(rule, deviceId, t)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the silences that ended at or before {@code now}; part of the sweep. */
    void expire(long now) {
        if (!silences.isEmpty()) {
            Instant t = Instant.ofEpochMilli(now);
            silences.removeIf(s -> !t.isBefore(s.until()));
        }
    }
}
