package io.iotpm.test.storage;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.Timestamps;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link StorageBackend} must have: ordering, half-open ranges, atomic batches,
 * schema checks, events, retention, concurrent writers and, for persistent backends, reopening;
 * with the tests it inherits from {@link ReadingIdentityContract}, (device id, timestamp) as a
 * reading's identity (one stored reading per key, the last write wins, redelivered batches change
 * nothing). Memory, CSV, SQLite and the {@code jsonl:} example plugin all run it.
 *
 * <p>Readings of one device with equal timestamps are no longer kept "in append order": the
 * former test {@code equalTimestamps_keepAppendOrder} is gone on purpose, replaced by
 * {@link ReadingIdentityContract}'s tests that the later write replaces the earlier.
 *
 * <p>A backend author adds {@code io.iotpm:iotpm-test} with test scope and writes one test class:
 * <pre>{@code
 * class PostgresStorageTest extends StorageBackendContract {
 *     @Override
 *     protected StorageBackend open(Path dir) {
 *         return StorageBackends.open("postgresql://localhost/iotpm_test");
 *     }
 * }
 * }</pre>
 * {@link #open(Path)} is called again with the same directory to check that data survives a
 * restart; a backend that keeps nothing across {@code close()} overrides {@link #persistent()},
 * one fixed to the motor schema overrides {@link #anySchema()}. The class may add tests of its own.
 */
public abstract class StorageBackendContract extends ReadingIdentityContract {

    /** @return readings per {@code appendAll} in the concurrent-writers test */
    protected int concurrentBatchSize() {
        return 500;
    }

    // ---- ordering and reads ------------------------------------------------------------------

    @Test
    void latest_returnsNewestFirst_limitedToN() {
        StorageBackend s = store();
        List<SensorReading> rs = minutes("PUMP_001", T0, 50);
        rs.forEach(s::append);

        List<SensorReading> last = s.latest("PUMP_001", 10);

        assertThat(last).hasSize(10);
        assertThat(last.get(0)).isEqualTo(rs.get(49));
        assertThat(last.get(9)).isEqualTo(rs.get(40));
        assertThat(s.latest("PUMP_001", 1000)).hasSize(50).first().isEqualTo(rs.get(49));
    }

    /** The core's one timestamp rule ({@link Timestamps}): every backend stores both of its ends. */
    @Test
    void storesTheFirstAndLastTimestampsTheCoreAccepts() {
        StorageBackend s = store();
        SensorReading first = motor("PUMP_001", Timestamps.MIN, 0);
        SensorReading last = motor("PUMP_001", Timestamps.MAX.truncatedTo(java.time.temporal.ChronoUnit.MICROS), 1);
        s.appendAll(List.of(first, last));
        assertThat(times(s.latest("PUMP_001", 5))).containsExactly(last.timestamp(), first.timestamp());
        assertThat(s.range("PUMP_001", Timestamps.MIN, Timestamps.MAX)).hasSize(2);
        assertThat(s.count("PUMP_001")).isEqualTo(2);
    }

    @Test
    void latest_ofUnknownDevice_isEmpty() {
        StorageBackend s = store();
        s.append(motor("PUMP_001", T0, 0));
        assertThat(s.latest("PUMP_404", 5)).isEmpty();
        assertThat(s.range("PUMP_404", T0, T0.plusSeconds(60))).isEmpty();
        assertThat(s.count("PUMP_404")).isZero();
    }

    @Test
    void readsReturnExactlyWhatWasWritten_includingHealthScoreAndSchema() {
        StorageBackend s = store();
        SensorReading r = SensorReading.of("PUMP_001", Instant.parse("2026-03-04T05:06:07.123456789Z"), MOTOR,
                new double[] {65.123456789012, 0.1, 0.2, 0.3, 2.5, 1801.5, 15.25, 219.75, 0.9512345, 44.0}, 87.25);
        s.append(r);
        SensorReading back = s.latest("PUMP_001", 1).get(0);
        assertThat(back).isEqualTo(r);
        assertThat(back.schema()).isEqualTo(MOTOR);
        assertThat(back.healthScore()).isEqualTo(87.25);
    }

    @Test
    void missingValues_roundTripAsNaN() {
        assumeTrue(anySchema(), "backend stores only the motor schema");
        StorageBackend s = store();
        SensorReading r = SensorReading.of("TANK_1", T0, PROBE, Double.NaN, -3.5);
        s.append(r);
        SensorReading back = s.latest("TANK_1", 1).get(0);
        assertThat(back.value("level")).isNaN();
        assertThat(back.value("flow")).isEqualTo(-3.5);
        assertThat(back.schema()).isEqualTo(PROBE);
    }

    @Test
    void readingsAppendedOutOfTimeOrder_areReadInTimeOrder() {
        StorageBackend s = store();
        SensorReading a = motor("PUMP_001", T0.plusSeconds(60), 1);
        SensorReading b = motor("PUMP_001", T0, 2);
        SensorReading c = motor("PUMP_001", T0.plusSeconds(120), 3);
        SensorReading d = motor("PUMP_001", T0.plusSeconds(30), 4);
        s.append(a);
        s.appendAll(List.of(b, c));
        s.append(d);

        assertThat(s.range("PUMP_001", T0, T0.plusSeconds(600))).containsExactly(b, d, a, c);
        assertThat(s.latest("PUMP_001", 3)).containsExactly(c, a, d);
    }

    @Test
    void range_isHalfOpen_oldestFirst_andPerDevice() {
        StorageBackend s = store();
        List<SensorReading> rs = minutes("PUMP_001", T0, 10);
        s.appendAll(rs);
        s.appendAll(minutes("PUMP_002", T0, 10));

        List<SensorReading> got = s.range("PUMP_001", T0.plusSeconds(120), T0.plusSeconds(300));

        assertThat(got).containsExactlyElementsOf(rs.subList(2, 5));
        assertThat(s.range("PUMP_001", T0.plusSeconds(120), T0.plusSeconds(120))).isEmpty();
    }

    @Test
    void range_acrossDays_isComplete() {
        StorageBackend s = store();
        List<SensorReading> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rs.add(motor("PUMP_001", T0.plus(Duration.ofHours(7L * i)), i));
        }
        s.appendAll(rs);
        assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(365)))).containsExactlyElementsOf(rs);
        assertThat(s.latest("PUMP_001", 30)).containsExactlyElementsOf(reversed(rs.subList(70, 100)));
    }

    @Test
    void devices_listLastSeenAndCount_orderedById() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_B", T0, 5));
        s.appendAll(minutes("PUMP_A", T0.plusSeconds(3600), 3));
        s.append(motor("PUMP_B", T0.minusSeconds(60), 9));

        assertThat(s.devices()).containsExactly(
                new DeviceInfo("PUMP_A", T0.plusSeconds(3600 + 120), 3),
                new DeviceInfo("PUMP_B", T0.plusSeconds(240), 6));
        assertThat(s.count("PUMP_B")).isEqualTo(6);
    }

    // ---- atomicity and bad input -------------------------------------------------------------

    @Test
    void appendAll_withOneReadingOfAnotherSchema_storesNothing() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", T0, 3));
        List<SensorReading> batch = new ArrayList<>(minutes("PUMP_001", T0.plusSeconds(3600), 5));
        batch.add(2, SensorReading.of("PUMP_001", T0.plusSeconds(4000), PROBE, 1, 1));

        assertThatThrownBy(() -> s.appendAll(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probe").hasMessageContaining("industrial_motor");

        assertThat(s.count("PUMP_001")).isEqualTo(3);
        assertThat(s.latest("PUMP_001", 10)).hasSize(3);
    }

    @Test
    void appendAll_withNullElement_storesNothing() {
        StorageBackend s = store();
        List<SensorReading> batch = new ArrayList<>(minutes("PUMP_001", T0, 3));
        batch.add(null);
        assertThatThrownBy(() -> s.appendAll(batch)).isInstanceOf(NullPointerException.class);
        assertThat(s.count("PUMP_001")).isZero();
        assertThat(s.devices()).isEmpty();
    }

    @Test
    void append_rejectsReadingOfAnotherSchema_andKeepsStoredData() {
        StorageBackend s = store();
        SensorReading first = motor("PUMP_001", T0, 0);
        s.append(first);
        assertThatThrownBy(() -> s.append(SensorReading.of("PUMP_001", T0.plusSeconds(1), PROBE, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        assertThat(s.latest("PUMP_001", 5)).containsExactly(first);
    }

    @Test
    void appendAll_ofEmptyBatch_isANoOp() {
        StorageBackend s = store();
        s.appendAll(List.of());
        assertThat(s.devices()).isEmpty();
    }

    @Test
    void reads_rejectUnsafeDeviceIds() {
        StorageBackend s = store();
        s.append(motor("PUMP_001", T0, 0));
        for (String bad : new String[] {"../etc", "", "x".repeat(65), "a/b", "PUMP 1"}) {
            assertThatThrownBy(() -> s.latest(bad, 1)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device id");
            assertThatThrownBy(() -> s.range(bad, T0, T0.plusSeconds(1))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device id");
        }
        assertThat(s.devices()).extracting(DeviceInfo::deviceId).containsExactly("PUMP_001");
    }

    @Test
    void readings_withUnsafeIdOrNonFiniteValue_cannotBeBuilt_soNothingIsStored() {
        StorageBackend s = store();
        assertThatThrownBy(() -> motor("../etc", T0, 0)).hasMessageContaining("../etc");
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T0, MOTOR,
                new double[] {Double.POSITIVE_INFINITY, 0, 0, 0, 2, 1800, 15, 220, 0.9, 45}))
                .hasMessageContaining("temperature").hasMessageContaining("Infinity");
        assertThatThrownBy(() -> SensorReading.of("PUMP_001", T0, MOTOR,
                new double[] {Double.NaN, 0, 0, 0, 2, 1800, 15, 220, 0.9, 45}))
                .hasMessageContaining("NaN");
        assertThat(s.devices()).isEmpty();
    }

    @Test
    void latest_rejectsNonPositiveN_andRangeRejectsReversedBounds() {
        StorageBackend s = store();
        assertThatThrownBy(() -> s.latest("PUMP_001", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> s.range("PUMP_001", T0.plusSeconds(1), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(T0.toString());
    }

    // ---- events and retention ----------------------------------------------------------------

    @Test
    void events_areStoredPerDevice_andReadByHalfOpenRange() {
        StorageBackend s = store();
        FailureEvent f = new FailureEvent("PUMP_001", T0.plusSeconds(600), "bearing_wear");
        MaintenanceEvent m = new MaintenanceEvent("PUMP_001", T0.plusSeconds(1200), "repair, bearings \"SKF\"");
        FailureEvent other = new FailureEvent("PUMP_002", T0.plusSeconds(700), "overheating");
        s.appendEvent(m);
        s.appendEvent(f);
        s.appendEvent(other);

        assertThat(s.events("PUMP_001", T0, T0.plusSeconds(3600))).containsExactly(f, m);
        assertThat(s.events("PUMP_001", T0, T0.plusSeconds(1200))).containsExactly(f);
        assertThat(s.events("PUMP_002", T0, T0.plusSeconds(3600))).<DeviceEvent>containsExactly(other);
        assertThat(s.events("PUMP_003", T0, T0.plusSeconds(3600))).isEmpty();
    }

    @Test
    void deleteBefore_removesOlderReadingsAndEvents_andCountsReadings() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", T0, 3 * 24 * 60));   // three days, one per minute
        s.appendAll(minutes("PUMP_002", T0, 10));
        s.appendEvent(new FailureEvent("PUMP_001", T0.plusSeconds(60), "overheating"));
        FailureEvent kept = new FailureEvent("PUMP_001", T0.plus(Duration.ofDays(2)), "overheating");
        s.appendEvent(kept);
        Instant cutoff = T0.plus(Duration.ofHours(36));

        long deleted = s.deleteBefore(cutoff);

        assertThat(deleted).isEqualTo(36 * 60 + 10);
        assertThat(s.count("PUMP_001")).isEqualTo(36 * 60);
        assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(9))).get(0).timestamp()).isEqualTo(cutoff);
        assertThat(s.devices()).extracting(DeviceInfo::deviceId).containsExactly("PUMP_001");
        assertThat(s.events("PUMP_001", T0, T0.plus(Duration.ofDays(9)))).containsExactly(kept);
        assertThat(s.deleteBefore(cutoff)).isZero();
        s.append(motor("PUMP_002", T0.plus(Duration.ofDays(4)), 1));
        assertThat(s.count("PUMP_002")).isEqualTo(1);
    }

    @Test
    void retain_keepsOnlyTheGivenAgeByTheInjectedClock() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", T0, 120));
        Clock now = Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC);
        assertThat(s.retain(Duration.ofMinutes(30), now)).isEqualTo(90);
        assertThat(s.count("PUMP_001")).isEqualTo(30);
        assertThatThrownBy(() -> s.retain(Duration.ZERO, now)).hasMessageContaining("PT0S");
    }

    @Test
    void deleteEventsBefore_removesOlderEventsOnly_orIsUnsupported() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", T0, 60));
        s.appendEvent(new FailureEvent("PUMP_001", T0.plusSeconds(60), "overheating"));
        FailureEvent kept = new FailureEvent("PUMP_001", T0.plusSeconds(3000), "overheating");
        s.appendEvent(kept);
        long deleted;
        try {
            deleted = s.deleteEventsBefore(T0.plusSeconds(1800));
        } catch (UnsupportedOperationException optional) {
            assertThat(s.events("PUMP_001", T0, T0.plusSeconds(3600))).hasSize(2);
            return;
        }
        assertThat(deleted).isEqualTo(1);
        assertThat(s.events("PUMP_001", T0, T0.plusSeconds(3600))).containsExactly(kept);
        assertThat(s.count("PUMP_001")).isEqualTo(60);
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void concurrentWriters_loseNothing_andDuplicateNothing() throws Exception {
        StorageBackend s = store();
        int threads = 4;
        int perThread = 100_000;
        int devices = 8;
        int batch = concurrentBatchSize();
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                try {
                    start.await();
                    List<SensorReading> buf = new ArrayList<>(batch);
                    for (int i = 0; i < perThread; i++) {
                        // Each (thread, i) has its own millisecond, so a duplicate or a loss shows.
                        long ms = (long) i * threads + thread;
                        buf.add(motor("DEV_" + (i % devices), T0.plusMillis(ms), i));
                        if (buf.size() == batch) {
                            if (batch == 1) {
                                s.append(buf.get(0));
                            } else {
                                s.appendAll(buf);
                            }
                            buf.clear();
                        }
                    }
                    if (!buf.isEmpty()) {
                        s.appendAll(buf);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "contract-writer-" + t));
        }
        Thread reader = new Thread(() -> {
            try {
                start.await();
                while (writing.get()) {
                    List<SensorReading> l = s.latest("DEV_3", 50);
                    for (int i = 1; i < l.size(); i++) {
                        if (l.get(i).timestamp().isAfter(l.get(i - 1).timestamp())) {
                            throw new AssertionError("latest not newest first: " + l);
                        }
                    }
                    s.devices();
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "contract-reader");
        writers.forEach(Thread::start);
        reader.start();
        start.countDown();
        for (Thread w : writers) {
            w.join(TimeUnit.MINUTES.toMillis(5));
        }
        writing.set(false);
        reader.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(errors).isEmpty();

        long total = 0;
        for (int d = 0; d < devices; d++) {
            List<SensorReading> all = s.range("DEV_" + d, T0, T0.plus(Duration.ofDays(1)));
            Set<Instant> distinct = new HashSet<>(times(all));
            assertThat(distinct).as("distinct timestamps of DEV_" + d).hasSize(all.size());
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).timestamp()).isAfter(all.get(i - 1).timestamp());
            }
            assertThat(s.count("DEV_" + d)).isEqualTo(all.size());
            total += all.size();
        }
        assertThat(total).isEqualTo((long) threads * perThread);
    }

    // ---- persistence and lifecycle -----------------------------------------------------------

    @Test
    void reopen_keepsReadingsEventsAndSchema() {
        assumeTrue(persistent(), "backend is not persistent");
        StorageBackend s = store();
        List<SensorReading> rs = minutes("PUMP_001", T0, 100);
        s.appendAll(rs.subList(0, 60));
        rs.subList(60, 100).forEach(s::append);
        FailureEvent f = new FailureEvent("PUMP_001", T0.plusSeconds(90), "imbalance");
        s.appendEvent(f);

        StorageBackend again = reopen(s);

        assertThat(again.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(rs);
        assertThat(again.devices()).containsExactly(new DeviceInfo("PUMP_001", rs.get(99).timestamp(), 100));
        assertThat(again.events("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).<DeviceEvent>containsExactly(f);
        assertThatThrownBy(() -> again.append(SensorReading.of("PUMP_001", T0, PROBE, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        again.append(motor("PUMP_001", T0.plus(Duration.ofDays(2)), 7));
        assertThat(again.count("PUMP_001")).isEqualTo(101);
    }

    @Test
    void close_isIdempotent_andLaterCallsFail() {
        StorageBackend s = store();
        s.append(motor("PUMP_001", T0, 0));
        s.close();
        s.close();
        assertThatThrownBy(() -> s.append(motor("PUMP_001", T0, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.latest("PUMP_001", 1)).isInstanceOf(IllegalStateException.class);
    }
}
