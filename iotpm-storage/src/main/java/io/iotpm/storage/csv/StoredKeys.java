package io.iotpm.storage.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The timestamps stored in day files that recently received a reading not after its device's
 * newest one (a redelivery, a retry, a late reading), so such a write can tell a new reading from
 * one that replaces a stored one (same device and timestamp) and keep the counts right without
 * reading the file again. An entry is loaded from its file when first needed and kept up to date
 * by every later write to the file; beyond {@value #MAX_FILES} files the least recently used is
 * dropped. Writes after the device's newest reading (the usual case) need no entry. Guarded by
 * the store's write lock.
 */
final class StoredKeys {

    /** Day files whose timestamps are kept: ~100 KB each at a reading a minute, ~6 MB at one a second. */
    static final int MAX_FILES = 16;

    /** One day file: its distinct timestamps and its rows, superseded ones included. */
    static final class Day {
        final Set<Instant> keys;
        long rows;

        Day(Set<Instant> keys, long rows) {
            this.keys = keys;
            this.rows = rows;
        }

        /** @return whether superseded rows outnumber the readings, so a rewrite halves the file or better */
        boolean worthCompacting() {
            return rows >= 2L * keys.size() + 64;
        }
    }

    /** Loads a day file's entry. */
    @FunctionalInterface
    interface Loader {
        Day load(Path f) throws IOException;
    }

    private final Map<Path, Day> days = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Day> eldest) {
            return size() > MAX_FILES;
        }
    };

    /** @return the file's entry, loaded with {@code loader} if it is not kept */
    Day get(Path f, Loader loader) throws IOException {
        Day d = days.get(f);
        if (d == null) {
            d = loader.load(f);
            days.put(f, d);
        }
        return d;
    }

    /** @return the file's entry if it is kept, else {@code null} */
    Day peek(Path f) {
        return days.get(f);
    }

    /** @return an empty entry, for a file that does not exist yet */
    static Day empty() {
        return new Day(new HashSet<>(), 0);
    }

    /** Forgets every entry, after retention rewrote or deleted files. */
    void clear() {
        days.clear();
    }
}
