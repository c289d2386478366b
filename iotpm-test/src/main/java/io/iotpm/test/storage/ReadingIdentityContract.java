package io.iotpm.test.storage;

import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * (device id, timestamp) is a reading's identity, as in time-series databases (InfluxDB,
 * ThingsBoard): a store holds at most one reading per key, a write of a stored key replaces its
 * values (the last write wins; within one batch, the later reading), and so re-appending a batch
 * that was already stored (a Kafka or MQTT redelivery, a client retrying after a timeout) changes
 * nothing that {@code latest}, {@code range}, {@code devices}, {@code count} or retention report.
 * Timestamps are compared to the nanosecond. Events are not covered: they keep append order.
 *
 * <p>Part of {@link StorageBackendContract}, which backends extend; its fixtures are in
 * {@link StorageContractBase}.
 */
public abstract class ReadingIdentityContract extends StorageContractBase {

    private static final Instant END = T0.plus(Duration.ofDays(30));

    /** Everything a reader can see of one device. */
    private record View(List<SensorReading> range, List<SensorReading> latest, long count, List<DeviceInfo> devices) {
    }

    private static View view(StorageBackend s, String device) {
        return new View(s.range(device, T0.minus(Duration.ofDays(1)), END), s.latest(device, 1000), s.count(device),
                s.devices());
    }

    /** @return one device's minutes {@code from} (inclusive) to {@code to} (exclusive), values varied by {@code salt} */
    private static List<SensorReading> minutes(String device, int from, int to, int salt) {
        List<SensorReading> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(motor(device, T0.plusSeconds(60L * i), i + salt));
        }
        return out;
    }

    @Test
    void reappendingAStoredBatch_changesNothing() {
        StorageBackend s = store();
        List<SensorReading> batch = new ArrayList<>();
        for (String d : List.of("PUMP_A", "PUMP_B", "PUMP_C")) {
            batch.addAll(minutes(d, 0, 40, 0));
        }
        s.appendAll(batch);
        View a = view(s, "PUMP_A");
        View b = view(s, "PUMP_B");

        s.appendAll(batch);                                       // a redelivery of the whole batch
        s.appendAll(batch.subList(10, 70));                       // a retry of part of it
        batch.subList(0, 5).forEach(s::append);                   // and single readings again

        assertThat(view(s, "PUMP_A")).isEqualTo(a);
        assertThat(view(s, "PUMP_B")).isEqualTo(b);
        assertThat(a.range()).hasSize(40);
        assertThat(a.devices()).extracting(DeviceInfo::readingCount).containsExactly(40L, 40L, 40L);
    }

    @Test
    void sameDeviceAndTimestamp_replacesTheStoredValues() {
        StorageBackend s = store();
        SensorReading first = motor("PUMP_001", T0, 1);
        SensorReading second = motor("PUMP_001", T0, 2);
        assertThat(second).isNotEqualTo(first);
        s.append(first);
        s.append(second);

        assertThat(s.range("PUMP_001", T0, T0.plusSeconds(1))).containsExactly(second);
        assertThat(s.latest("PUMP_001", 5)).containsExactly(second);
        assertThat(s.count("PUMP_001")).isEqualTo(1);
        assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_001", T0, 1));

        SensorReading third = motor("PUMP_001", T0, 3);
        SensorReading next = motor("PUMP_001", T0.plusSeconds(60), 4);
        s.appendAll(List.of(third, next));                        // one replacement, one new reading
        assertThat(s.range("PUMP_001", T0, END)).containsExactly(third, next);
        assertThat(s.count("PUMP_001")).isEqualTo(2);
    }

    @Test
    void duplicatesWithinABatch_theLaterOneWins() {
        StorageBackend s = store();
        SensorReading a1 = motor("PUMP_A", T0, 1);
        SensorReading b = motor("PUMP_B", T0, 2);
        SensorReading a2 = motor("PUMP_A", T0.plusSeconds(60), 3);
        SensorReading a3 = motor("PUMP_A", T0, 4);
        SensorReading a4 = motor("PUMP_A", T0, 5);
        s.appendAll(List.of(a1, b, a2, a3, a4));

        assertThat(s.range("PUMP_A", T0, END)).containsExactly(a4, a2);
        assertThat(s.latest("PUMP_A", 10)).containsExactly(a2, a4);
        assertThat(s.range("PUMP_B", T0, END)).containsExactly(b);
        assertThat(s.devices()).containsExactly(
                new DeviceInfo("PUMP_A", T0.plusSeconds(60), 2), new DeviceInfo("PUMP_B", T0, 1));
    }

    @Test
    void replacingAnOlderReading_keepsItsPlace_countAndLastSeen() {
        StorageBackend s = store();
        List<SensorReading> rs = minutes("PUMP_001", 0, 10, 0);
        s.appendAll(rs);
        SensorReading late = motor("PUMP_001", rs.get(3).timestamp(), 50);

        s.append(late);

        List<SensorReading> expected = new ArrayList<>(rs);
        expected.set(3, late);
        assertThat(s.range("PUMP_001", T0, END)).containsExactlyElementsOf(expected);
        assertThat(s.latest("PUMP_001", 10)).containsExactlyElementsOf(reversed(expected));
        assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_001", rs.get(9).timestamp(), 10));
    }

    @Test
    void overlappingBatches_readOneReadingPerTimestamp_theNewerValues() {
        StorageBackend s = store();
        s.appendAll(minutes("PUMP_001", 0, 60, 0));
        List<SensorReading> second = minutes("PUMP_001", 30, 90, 1000);
        s.appendAll(second);

        List<SensorReading> expected = new ArrayList<>(minutes("PUMP_001", 0, 30, 0));
        expected.addAll(second);
        List<SensorReading> all = s.range("PUMP_001", T0, END);
        assertThat(all).containsExactlyElementsOf(expected);
        assertThat(times(all)).doesNotHaveDuplicates();
        assertThat(s.latest("PUMP_001", 1000)).containsExactlyElementsOf(reversed(expected));
        assertThat(s.latest("PUMP_001", 5)).containsExactlyElementsOf(reversed(second).subList(0, 5));
        assertThat(s.range("PUMP_001", T0.plusSeconds(60 * 25), T0.plusSeconds(60 * 35)))
                .containsExactlyElementsOf(expected.subList(25, 35));
        assertThat(s.count("PUMP_001")).isEqualTo(90);
    }

    @Test
    void sameTimestampOnAnotherDevice_orOneNanosecondApart_isAnotherReading() {
        StorageBackend s = store();
        SensorReading a = motor("PUMP_A", T0, 1);
        SensorReading b = motor("PUMP_B", T0, 2);
        SensorReading a1 = motor("PUMP_A", T0.plusNanos(1), 3);
        s.appendAll(List.of(a, b, a1));

        assertThat(s.range("PUMP_A", T0, END)).containsExactly(a, a1);
        assertThat(s.range("PUMP_B", T0, END)).containsExactly(b);
        assertThat(s.count("PUMP_A")).isEqualTo(2);
    }

    @Test
    void manyRedeliveries_storeEachReadingOnce_andRetentionCountsReadings() {
        StorageBackend s = store();
        List<SensorReading> batch = minutes("PUMP_001", 0, 120, 0);
        for (int i = 0; i < 6; i++) {
            s.appendAll(batch);
        }
        List<SensorReading> replaced = minutes("PUMP_001", 0, 120, 7);
        s.appendAll(replaced);

        assertThat(s.range("PUMP_001", T0, END)).containsExactlyElementsOf(replaced);
        assertThat(s.count("PUMP_001")).isEqualTo(120);
        assertThat(s.deleteBefore(T0.plusSeconds(60 * 30))).isEqualTo(30);
        assertThat(s.count("PUMP_001")).isEqualTo(90);
        assertThat(s.range("PUMP_001", T0, END)).containsExactlyElementsOf(replaced.subList(30, 120));
        s.appendAll(replaced.subList(30, 120));
        assertThat(s.count("PUMP_001")).isEqualTo(90);
    }

    @Test
    void identity_holdsAcrossCloseAndReopen() {
        assumeTrue(persistent(), "backend is not persistent");
        StorageBackend s = store();
        List<SensorReading> batch = minutes("PUMP_001", 0, 50, 0);
        s.appendAll(batch);
        s.appendAll(batch);
        SensorReading late = motor("PUMP_001", batch.get(10).timestamp(), 99);
        s.append(late);
        List<SensorReading> expected = new ArrayList<>(batch);
        expected.set(10, late);

        StorageBackend again = reopen(s);

        assertThat(again.range("PUMP_001", T0, END)).containsExactlyElementsOf(expected);
        assertThat(again.devices()).containsExactly(new DeviceInfo("PUMP_001", batch.get(49).timestamp(), 50));
        again.appendAll(expected);                               // a redelivery after the restart
        SensorReading later = motor("PUMP_001", batch.get(20).timestamp(), 98);
        again.append(later);
        expected.set(20, later);
        assertThat(again.count("PUMP_001")).isEqualTo(50);

        StorageBackend third = reopen(again);

        assertThat(third.range("PUMP_001", T0, END)).containsExactlyElementsOf(expected);
        assertThat(third.latest("PUMP_001", 3)).containsExactlyElementsOf(reversed(expected).subList(0, 3));
        assertThat(third.count("PUMP_001")).isEqualTo(50);
    }

    @Test
    void concurrentRedeliveries_storeEachReadingOnce() throws Exception {
        StorageBackend s = store();
        int threads = 4;
        List<List<SensorReading>> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            List<SensorReading> batch = new ArrayList<>();
            for (int d = 0; d < 4; d++) {
                batch.addAll(minutes("DEV_" + d, b * 50, b * 50 + 50, 0));
            }
            batches.add(batch);
        }
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            // Every thread writes every batch, each starting elsewhere, as redelivering consumers would.
            writers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < batches.size(); i++) {
                        s.appendAll(batches.get((i + offset * 5) % batches.size()));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "contract-redeliverer-" + t));
        }
        writers.forEach(Thread::start);
        start.countDown();
        for (Thread w : writers) {
            w.join(TimeUnit.MINUTES.toMillis(2));
        }
        assertThat(errors).isEmpty();

        for (int d = 0; d < 4; d++) {
            List<SensorReading> expected = minutes("DEV_" + d, 0, 1000, 0);
            assertThat(s.range("DEV_" + d, T0, END)).as("DEV_" + d).containsExactlyElementsOf(expected);
            assertThat(s.count("DEV_" + d)).isEqualTo(1000);
        }
        assertThat(s.devices()).extracting(DeviceInfo::readingCount).containsExactly(1000L, 1000L, 1000L, 1000L);
    }
}
