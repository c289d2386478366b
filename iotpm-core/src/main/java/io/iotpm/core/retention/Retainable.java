package io.iotpm.core.retention;

import io.iotpm.core.storage.StorageBackend;

import java.time.Instant;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Data a {@link RetentionTask} can trim: everything older than a cutoff is removed. Stored readings
 * and events have factories here; an alert store (its history of resolved alerts) or any other
 * store implements it and is added to the task beside them.
 *
 * <pre>{@code
 * RetentionTask.builder()
 *     .target(Retainable.readings(storage), Duration.ofDays(90))
 *     .target(alertStore, Duration.ofDays(365))    // an alert store implementing Retainable
 *     .build().start();
 * }</pre>
 */
public interface Retainable {

    /** @return a short name for logs and metrics, e.g. {@code readings}, unique within one task */
    String name();

    /**
     * Removes everything older than {@code cutoff}.
     *
     * @param cutoff exclusive bound: data at or after it stays
     * @return how many items were removed
     */
    long removeBefore(Instant cutoff);

    /**
     * Readings of a storage, with {@link StorageBackend#deleteBefore(Instant)}: that call also removes
     * the events older than the cutoff, so events are kept at most as long as readings.
     *
     * @param storage the storage
     * @return the target named {@code readings}
     */
    static Retainable readings(StorageBackend storage) {
        Objects.requireNonNull(storage, "storage");
        return of("readings", storage::deleteBefore);
    }

    /**
     * Events of a storage, with {@link StorageBackend#deleteEventsBefore(Instant)}; useful with an
     * age shorter than the readings' (see {@link #readings(StorageBackend)}).
     *
     * @param storage the storage
     * @return the target named {@code events}
     */
    static Retainable events(StorageBackend storage) {
        Objects.requireNonNull(storage, "storage");
        return of("events", storage::deleteEventsBefore);
    }

    /**
     * @param name   the target's name
     * @param remove removes what is older than the cutoff and returns how much
     * @return a target from a function
     */
    static Retainable of(String name, ToLongFunction<Instant> remove) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(remove, "remove");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return new Retainable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long removeBefore(Instant cutoff) {
                return remove.applyAsLong(cutoff);
            }

            @Override
            public String toString() {
                return "Retainable[" + name + "]";
            }
        };
    }
}
