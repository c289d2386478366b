package io.iotpm.test.storage;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the storage suites share: how the backend under test is opened and reopened, the schemas,
 * the time line and the reading generators. A backend's test class extends
 * {@link StorageBackendContract}, which runs every suite; this class only holds the fixtures.
 */
public abstract class StorageContractBase {

    /** The schema most tests write. */
    protected static final SensorSchema MOTOR = SensorSchema.industrialMotor();

    /** A second schema: one channel allows missing values, for NaN round trips and mismatches. */
    protected static final SensorSchema PROBE = SensorSchema.builder("probe")
            .channel(Channel.builder("level").unit("m").normalRange(0, 10).physicalRange(0, 100).allowMissing())
            .channel(Channel.builder("flow").unit("l/s").normalRange(0, 5).physicalRange(-50, 50))
            .build();

    /** 2026-01-01T00:00:00Z, the start of every test's time line. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A fresh directory per test; persistent backends keep their files under it. */
    @TempDir
    protected Path dir;

    private final List<StorageBackend> opened = Collections.synchronizedList(new ArrayList<>());

    /**
     * Opens the backend under test. Called again with the same directory it must reopen the same
     * store (for persistent backends).
     *
     * @param dir a directory owned by the test
     * @return an open backend
     */
    protected abstract StorageBackend open(Path dir);

    /** @return whether data survives {@code close()} and a new {@link #open(Path)} (false for memory) */
    protected boolean persistent() {
        return true;
    }

    /** @return whether the backend stores any schema (false for one fixed to the motor schema) */
    protected boolean anySchema() {
        return true;
    }

    /** Opens and remembers the store, so {@link #closeAll()} releases it even when a test fails. */
    protected final StorageBackend store() {
        StorageBackend s = open(dir);
        opened.add(s);
        return s;
    }

    /** Closes and reopens, as an application restart would. */
    protected final StorageBackend reopen(StorageBackend s) {
        s.close();
        return store();
    }

    @AfterEach
    void closeAll() {
        for (StorageBackend s : opened) {
            s.close();
        }
    }

    /** @return a valid motor reading whose values vary with {@code i} */
    protected static SensorReading motor(String device, Instant t, int i) {
        double w = (i % 97) / 97.0;
        return SensorReading.of(device, t, MOTOR, new double[] {60 + 10 * w, 0.5 + w / 10, 0.4, 0.3 + w / 7, 2.5,
                1800 + i % 50, 15 + w, 220 - w, 0.95, 45 + w}, i % 3 == 0 ? Double.NaN : 100 - (i % 100) * 0.5);
    }

    /** @return {@code n} readings of one device, one minute apart from {@code start} */
    protected static List<SensorReading> minutes(String device, Instant start, int n) {
        List<SensorReading> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(motor(device, start.plusSeconds(60L * i), i));
        }
        return out;
    }

    /** @return the readings' timestamps, in order */
    protected static List<Instant> times(List<SensorReading> rs) {
        return rs.stream().map(SensorReading::timestamp).toList();
    }

    /** @return a reversed copy */
    protected static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }
}
