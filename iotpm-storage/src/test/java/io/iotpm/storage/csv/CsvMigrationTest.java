package io.iotpm.storage.csv;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.SchemaJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stores written by format version 1, where equal timestamps were separate readings, open as
 * version 2 (one reading per device and timestamp, the last row wins); and files full of
 * superseded rows are compacted.
 */
class CsvMigrationTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /** @return a reading whose temperature and health tell {@code i} apart */
    private static SensorReading motor(String device, Instant t, int i) {
        double[] v = {50 + i % 40, 0.2, 0.2, 0.2, 3, 1500, 10, 230, 0.9, 40};
        return SensorReading.of(device, t, MOTOR, v, i % 100);
    }

    private Path day(String device) {
        return dir.resolve("store/devices").resolve(device).resolve("2026-01-01.csv");
    }

    /** Writes a version 1 store by hand: metadata, commit number, and one data file per device. */
    private void writeVersion1(List<SensorReading> rows) throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("iotpm-csv.json"),
                "{\"format_version\": 1, \"schema\": " + SchemaJson.write(MOTOR) + "}\n");
        Files.writeString(store.resolve("commit"), String.format("%020d\n", rows.size()), StandardCharsets.US_ASCII);
        String header = String.join(",", CsvLayout.header(MOTOR)) + "\r\n";
        for (int seq = 1; seq <= rows.size(); seq++) {
            SensorReading r = rows.get(seq - 1);
            Path f = day(r.deviceId());
            Files.createDirectories(f.getParent());
            if (!Files.exists(f)) {
                Files.writeString(f, header);
            }
            StringBuilder line = new StringBuilder();
            for (Object field : CsvRowCodec.row(Long.toString(seq), r)) {
                line.append(line.length() > 0 ? "," : "").append(field);
            }
            Files.writeString(f, line + "\r\n", StandardOpenOption.APPEND);
        }
    }

    private StorageBackend open() {
        return StorageBackends.open("csv:" + dir.resolve("store"));
    }

    @Test
    void version1Store_withTiedTimestamps_readsTheLastRow_countsOnce_andIsMarkedVersion2() throws Exception {
        SensorReading a1 = motor("PUMP_A", T0, 1);
        SensorReading a2 = motor("PUMP_A", T0.plusSeconds(60), 2);
        SensorReading b1 = motor("PUMP_B", T0, 3);
        SensorReading a3 = motor("PUMP_A", T0, 4);
        writeVersion1(List.of(a1, a2, b1, a3));

        try (StorageBackend s = open()) {
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(600))).containsExactly(a3, a2);
            assertThat(s.latest("PUMP_A", 10)).containsExactly(a2, a3);
            assertThat(s.devices()).containsExactly(new DeviceInfo("PUMP_A", T0.plusSeconds(60), 2),
                    new DeviceInfo("PUMP_B", T0, 1));
            SensorReading a5 = motor("PUMP_A", T0.plusSeconds(60), 5);
            s.append(a5);
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(600))).containsExactly(a3, a5);
            assertThat(s.count("PUMP_A")).isEqualTo(2);
        }
        assertThat(dir.resolve("store/iotpm-csv.json")).content()
                .contains("\"format_version\" : " + CsvStorage.FORMAT_VERSION);
        try (StorageBackend s = open()) {
            assertThat(s.count("PUMP_A")).isEqualTo(2);
            assertThat(s.latest("PUMP_A", 1)).containsExactly(motor("PUMP_A", T0.plusSeconds(60), 5));
        }
    }

    @Test
    void storeOfAnUnknownVersion_isRefused() throws Exception {
        writeVersion1(List.of(motor("PUMP_A", T0, 1)));
        Path meta = dir.resolve("store/iotpm-csv.json");
        Files.writeString(meta, Files.readString(meta).replace("\"format_version\": 1", "\"format_version\": 3"));
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class).hasMessageContaining("format_version 3");
    }

    @Test
    void redeliveries_rewriteAFileOnceItsSupersededRowsOutnumberItsReadings() throws Exception {
        List<SensorReading> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(motor("PUMP_A", T0.plusSeconds(60L * i), i));
        }
        try (StorageBackend s = open()) {
            s.appendAll(batch);
            s.appendAll(batch);
            assertThat(Files.readAllLines(day("PUMP_A"))).hasSize(1 + 200);   // appended, not rewritten
            s.appendAll(batch);
            assertThat(Files.readAllLines(day("PUMP_A"))).hasSize(1 + 100);   // 300 rows >= 2 x 100 + 64: compacted
            s.appendAll(batch);
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(60L * 200))).containsExactlyElementsOf(batch);
            assertThat(s.count("PUMP_A")).isEqualTo(100);
        }
        try (StorageBackend s = open()) {
            assertThat(s.range("PUMP_A", T0, T0.plusSeconds(60L * 200))).containsExactlyElementsOf(batch);
            assertThat(s.count("PUMP_A")).isEqualTo(100);
        }
    }
}
