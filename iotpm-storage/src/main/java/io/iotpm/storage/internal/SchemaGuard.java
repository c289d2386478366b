package io.iotpm.storage.internal;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one schema a store holds: fixed by the first reading written (or by what the store
 * remembers), after which a reading of any other schema is rejected.
 */
public final class SchemaGuard {

    private final String store;
    private final AtomicReference<SensorSchema> schema;

    /**
     * @param store   the store's location, for messages
     * @param initial the schema the store already holds, or {@code null}
     */
    public SchemaGuard(String store, SensorSchema initial) {
        this.store = store;
        this.schema = new AtomicReference<>(initial);
    }

    /** @return the schema, or {@code null} while the store is empty of readings */
    public SensorSchema schema() {
        return schema.get();
    }

    /**
     * Checks a batch without adopting anything: non-null elements, one schema, the store's schema
     * if it has one.
     *
     * @param readings the batch
     * @return the batch's schema, or {@code null} for an empty batch
     * @throws NullPointerException     on a null element
     * @throws IllegalArgumentException on a schema mismatch, naming both schemas and the device
     */
    public SensorSchema check(Collection<SensorReading> readings) {
        Objects.requireNonNull(readings, "readings");
        SensorSchema batch = null;
        int i = 0;
        for (SensorReading r : readings) {
            if (r == null) {
                throw new NullPointerException("reading at index " + i + " of the batch is null; nothing was stored");
            }
            if (batch == null) {
                batch = r.schema();
                check(r);
            } else if (!batch.equals(r.schema())) {
                throw mismatch(r, batch, "batch index " + i);
            }
            i++;
        }
        return batch;
    }

    /**
     * @param r a reading
     * @throws IllegalArgumentException when the store holds another schema
     */
    public void check(SensorReading r) {
        SensorSchema s = schema.get();
        if (s != null && s != r.schema() && !s.equals(r.schema())) {
            throw mismatch(r, s, store);
        }
    }

    /**
     * Fixes the schema if none is fixed yet; call with the store's write lock held, after
     * {@link #check(Collection)} and before storing.
     *
     * @param s the schema of what is about to be stored
     * @return {@code true} if this call fixed it (persist it in the same write)
     * @throws IllegalArgumentException when another schema won a race
     */
    public boolean adopt(SensorSchema s) {
        if (schema.compareAndSet(null, s)) {
            return true;
        }
        SensorSchema held = schema.get();
        if (!held.equals(s)) {
            throw new IllegalArgumentException("reading has schema '" + s.name() + "', but store " + store
                    + " holds schema '" + held.name() + "'");
        }
        return false;
    }

    /** Forgets an adopted schema when the write that adopted it failed. */
    public void forget(SensorSchema s) {
        schema.compareAndSet(s, null);
    }

    private IllegalArgumentException mismatch(SensorReading r, SensorSchema expected, String where) {
        String detail = expected.name().equals(r.schema().name())
                ? " (same name, different channels: " + r.schema() + " vs " + expected + ")" : "";
        return new IllegalArgumentException("reading of device '" + r.deviceId() + "' at " + r.timestamp()
                + " has schema '" + r.schema().name() + "', but " + where + " holds schema '" + expected.name() + "'"
                + detail + "; nothing of this write was stored");
    }
}
