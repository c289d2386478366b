package io.iotpm.storage.csv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;

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

/**
 * Fuzzes the CSV recovery parser with whatever bytes a crash, a full disk or a careless editor leaves after the
 * committed rows of a day file. Opening the store then either fails with a {@link StorageException} and
 * changes no byte, or keeps exactly the committed readings; no other exception, ever.
 * {@code ./mvnw verify} replays {@code src/test/resources/.../CsvRecoveryFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
class CsvRecoveryFuzzTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<SensorReading> COMMITTED = readings();

    private static List<SensorReading> readings() {
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(SensorReading.of("PUMP_1", T0.plusSeconds(60L * i), SensorSchema.industrialMotor(),
                    new double[] {60 + i, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45}, 90 - i));
        }
        return out;
    }

    @FuzzTest(maxDuration = "2m")
    void open_afterAnyTail_keepsTheCommittedRowsOrFailsWithoutChangingTheFile(@NotNull byte[] tail) throws Exception {
        Path dir = Files.createTempDirectory("iotpm-csv-fuzz-");
        try {
            try (StorageBackend s = CsvStorage.builder(dir).build()) {
                s.appendAll(COMMITTED);
            }
            Path f = dir.resolve("devices/PUMP_1/2026-01-01.csv");
            Files.write(f, tail, StandardOpenOption.APPEND);
            byte[] before = Files.readAllBytes(f);
            StorageBackend reopened;
            try {
                reopened = CsvStorage.builder(dir).build();
            } catch (StorageException refused) {
                assertThat(refused.getMessage()).contains(f.toString());
                assertThat(Files.readAllBytes(f)).isEqualTo(before);
                return;
            }
            try (StorageBackend s = reopened) {
                assertThat(s.range("PUMP_1", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(COMMITTED);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
