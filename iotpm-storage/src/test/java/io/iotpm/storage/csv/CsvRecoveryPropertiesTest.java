package io.iotpm.storage.csv;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CSV recovery against arbitrary crash leftovers and arbitrary damage. */
class CsvRecoveryPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static List<SensorReading> readings(int n) {
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SensorReading.of("PUMP_1", T0.plusSeconds(60L * i), SensorSchema.industrialMotor(),
                    new double[] {60 + i, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90 - i));
        }
        return out;
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Whatever prefix of a row (or any text without a newline) a crash left at the end, open keeps exactly the committed rows. */
    @Property(tries = 40)
    void anyTornTail_isDropped_andCommittedRowsKept(@ForAll("tails") String tail) throws Exception {
        Path dir = Files.createTempDirectory("iotpm-csv-prop-");
        try {
            List<SensorReading> rs = readings(4);
            try (StorageBackend s = CsvStorage.builder(dir).build()) {
                s.appendAll(rs);
            }
            Path f = dir.resolve("devices/PUMP_1/2026-01-01.csv");
            Files.writeString(f, tail, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            try (StorageBackend s = CsvStorage.builder(dir).build()) {
                assertThat(s.range("PUMP_1", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(rs);
                s.append(readings(5).get(4));
            }
            try (StorageBackend s = CsvStorage.builder(dir).build()) {
                assertThat(s.count("PUMP_1")).isEqualTo(5);
            }
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<String> tails() {
        String row = "2,2026-01-01T00:04:00Z,86.0,64.0,0.5,0.4,0.3,2.5,1800.0,15.0,220.0,0.95,45.0";
        Arbitrary<String> prefixes = Arbitraries.integers().between(1, row.length()).map(n -> row.substring(0, n));
        Arbitrary<String> garbage = Arbitraries.strings().ofMinLength(1).ofMaxLength(80)
                .filter(s -> s.indexOf('\n') < 0);
        return Arbitraries.oneOf(prefixes, garbage);
    }

    /** Damage to a committed row in the middle of a file fails open, names the line, and changes no file. */
    @Property(tries = 40)
    void corruptCommittedRow_failsOpen_andChangesNothing(@ForAll("damage") String damage,
                                                        @ForAll @IntRange(min = 2, max = 4) int line) throws Exception {
        Path dir = Files.createTempDirectory("iotpm-csv-prop-");
        try {
            try (StorageBackend s = CsvStorage.builder(dir).build()) {
                s.appendAll(readings(5));
            }
            Path f = dir.resolve("devices/PUMP_1/2026-01-01.csv");
            List<String> lines = new ArrayList<>(Files.readAllLines(f));
            String original = lines.get(line - 1);
            String damaged = original.substring(0, original.indexOf(',') + 1) + damage;
            lines.set(line - 1, damaged);
            Files.write(f, lines);
            byte[] before = Files.readAllBytes(f);

            assertThatThrownBy(() -> CsvStorage.builder(dir).build()).isInstanceOf(StorageException.class)
                    .hasMessageContaining(f.toString());

            assertThat(Files.readAllBytes(f)).isEqualTo(before);
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<String> damage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60).filter(s -> s.indexOf('\n') < 0 && s.indexOf('\r') < 0),
                Arbitraries.of("2026-01-01T00:01:00Z,90,Infinity,0.5,0.4,0.3,2.5,1800,15,220,0.95,45",
                        "2026-01-01T00:01:00Z,90,NaN,0.5,0.4,0.3,2.5,1800,15,220,0.95,45",
                        "2026-01-01T00:01:00Z,90,9999,0.5,0.4,0.3,2.5,1800,15,220,0.95,45",
                        "2026-01-01T00:01:00Z,90,65,0.5,0.4,0.3,2.5,1800,15,220,0.95",
                        "2026-01-02T00:01:00Z,90,65,0.5,0.4,0.3,2.5,1800,15,220,0.95,45",
                        "2026-01-01T00:01:00Z,90,65,\"0.5,0.4,0.3,2.5,1800,15,220,0.95,45"));
    }
}
