package io.iotpm.storage.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The timestamps stored in recently written day files, so a write can tell a new reading from one
 * that replaces a stored one (same device and timestamp) and keep the counts right without reading
 * the file again. Each entry is loaded from its file on the first write after open (or after it
 * was evicted, least recently written first, beyond {@value #MAX_FILES} files). Guarded by the
 * store's write lock.
 */
final class StoredKeys {

    /** Day files whose timestamps are kept: at a reading a minute, ~100 KB each. */
    static final int MAX_FILES = 64;

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

    /** @return an empty entry, for a file that does not exist yet */
    static Day empty() {
        return new Day(new HashSet<>(), 0);
    }

    /** Forgets every entry, after retention rewrote or deleted files. */
    void clear() {
        days.clear();
    }
}
