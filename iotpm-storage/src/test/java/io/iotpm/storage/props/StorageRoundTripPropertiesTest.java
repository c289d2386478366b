package io.iotpm.storage.props;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.storage.csv.CsvStorage;
import io.iotpm.storage.memory.MemoryStorage;
import io.iotpm.storage.sqlite.SqliteStorage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips through every bundled backend (memory, CSV, SQLite) for arbitrary batches: any device ids of the
 * allowed alphabet, timestamps in any order with repeats (the last write of a (device, timestamp) wins), values
 * anywhere in each channel's physical range, missing values where a channel allows them, with or without a
 * health score, written in arbitrary batch splits. What {@code range}, {@code latest}, {@code count} and
 * {@code devices} return equals a plain in-memory model, before and (for the file stores) after a reopen.
 */
class StorageRoundTripPropertiesTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Property(tries = 25)
    void anyBatches_readBackAsTheLastWritePerDeviceAndTimestamp(@ForAll("backends") String backend,
                                                                 @ForAll("batches") List<List<SensorReading>> batches)
            throws Exception {
        Path dir = Files.createTempDirectory("iotpm-roundtrip-");
        try {
            Map<String, TreeMap<Instant, SensorReading>> model = new LinkedHashMap<>();
            StorageBackend store = open(backend, dir);
            try {
                for (List<SensorReading> batch : batches) {
                    store.appendAll(batch);
                    for (SensorReading r : batch) {
                        model.computeIfAbsent(r.deviceId(), d -> new TreeMap<>()).put(r.timestamp(), r);
                    }
                }
                check(store, model);
                if (!backend.equals("memory")) {
                    store.close();
                    store = open(backend, dir);
                    check(store, model);
                }
            } finally {
                store.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static StorageBackend open(String backend, Path dir) {
        return switch (backend) {
            case "memory" -> MemoryStorage.builder().build();
            case "csv" -> CsvStorage.builder(dir.resolve("csv")).build();
            default -> SqliteStorage.builder(dir.resolve("iot.db")).build();
        };
    }

    private static void check(StorageBackend store, Map<String, TreeMap<Instant, SensorReading>> model) {
        assertThat(store.devices()).extracting(DeviceInfo::deviceId).containsExactlyInAnyOrderElementsOf(model.keySet());
        for (Map.Entry<String, TreeMap<Instant, SensorReading>> e : model.entrySet()) {
            List<SensorReading> expected = new ArrayList<>(e.getValue().values());
            assertThat(store.range(e.getKey(), Instant.EPOCH, T0.plusSeconds(86_400 * 400L)))
                    .containsExactlyElementsOf(expected);
            assertThat(store.count(e.getKey())).isEqualTo(expected.size());
            List<SensorReading> newestFirst = new ArrayList<>(e.getValue().descendingMap().values());
            assertThat(store.latest(e.getKey(), 3)).containsExactlyElementsOf(newestFirst.subList(0,
                    Math.min(3, newestFirst.size())));
        }
    }

    @Provide
    Arbitrary<String> backends() {
        return Arbitraries.of("memory", "csv", "sqlite");
    }

    @Provide
    Arbitrary<List<List<SensorReading>>> batches() {
        return reading().list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<SensorReading> reading() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("ABCxyz019_.:-").ofMinLength(1).ofMaxLength(12)
                .filter(id -> !id.contains("..") && !id.equals(".")).injectDuplicates(0.6);
        // A few distinct instants (ms precision, across a year) so repeats and out-of-order writes are common.
        Arbitrary<Instant> times = Arbitraries.longs().between(0, 365L * 86_400_000).map(T0::plusMillis)
                .injectDuplicates(0.4);
        List<Arbitrary<Double>> channels = new ArrayList<>();
        for (int i = 0; i < MOTOR.size(); i++) {
            Channel c = MOTOR.channel(i);
            Arbitrary<Double> v = Arbitraries.doubles().between(finite(c.physicalMin(), c.normalMin() - 1000),
                    finite(c.physicalMax(), c.normalMax() + 1000));
            channels.add(c.missingAllowed() ? Arbitraries.oneOf(v, Arbitraries.just(Double.NaN)) : v);
        }
        Arbitrary<double[]> values = Combinators.combine(channels).as(l -> l.stream().mapToDouble(d -> d).toArray());
        Arbitrary<Double> health = Arbitraries.oneOf(Arbitraries.doubles().between(0, 100),
                Arbitraries.just(Double.NaN));
        return Combinators.combine(ids, times, values, health)
                .as((id, t, v, h) -> SensorReading.of(id, t, MOTOR, v, h));
    }

    private static double finite(double limit, double fallback) {
        return Double.isInfinite(limit) ? fallback : limit;
    }
}
