package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The silences of one manager. Lock-free: the list is copy-on-write because it is read for every
 * notification (under a device lock, which must not wait for anything) and changed rarely. Every
 * change is written to the store first, so a silence in force is one that survives a restart.
 */
final class Silences {

    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    private final CopyOnWriteArrayList<Silence> silences = new CopyOnWriteArrayList<>();
    private final AlertStore store;

    /** Loads the store's silences; they hold again at once. */
    Silences(AlertStore store) {
        this.store = store;
        silences.addAll(store.silences());
    }

    /**
     * @return {@code silence} with a fresh id, stored and now in force
     * @throws RuntimeException the store's error when it cannot keep the silence (then it is not in force)
     */
    Silence add(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        Silence s = silence.withId(store.reserveIds(AlertStore.SILENCE_IDS, 1));
        store.saveSilence(s);
        silences.add(s);
        return s;
    }

    /** @return whether a silence with that id was removed (from the store first) */
    boolean remove(long id) {
        boolean stored = store.deleteSilence(id);
        return silences.removeIf(s -> s.id() == id) || stored;
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
            for (Silence s : silences) {
                if (!t.isBefore(s.until())) {
                    silences.remove(s);
                    try {
                        store.deleteSilence(s.id());
                    } catch (RuntimeException e) {
                        // Harmless: an ended silence mutes nothing; the next start drops it again.
                        LOG.debug("could not delete ended silence {} from the alert store", s.id(), e);
                    }
                }
            }
        }
    }
}
