package io.iotpm.storage.csv;

import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.storage.StorageException;
import io.iotpm.test.storage.StorageBackendContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvStorageTest extends StorageBackendContract {

    @Override
    protected StorageBackend open(Path dir) {
        return StorageBackends.open("csv:" + dir.resolve("store"));
    }

    private Path store(String device, String day) {
        return dir.resolve("store/devices").resolve(device).resolve(day + ".csv");
    }

    private static List<String> lines(Path f) throws Exception {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
    }

    @Test
    void layout_isOneFilePerDeviceAndDay_withTheSchemaAsHeader() throws Exception {
        try (StorageBackend s = store()) {
            s.appendAll(minutes("PUMP_001", T0.minusSeconds(120), 4));   // spans midnight
        }
        Path day1 = store("PUMP_001", "2025-12-31");
        Path day2 = store("PUMP_001", "2026-01-01");
        assertThat(lines(day1)).hasSize(3).first().isEqualTo("seq,timestamp,health_score,temperature,vibration_x,"
                + "vibration_y,vibration_z,pressure,rpm,current,voltage,power_factor,noise");
        assertThat(lines(day2)).hasSize(3);
        assertThat(lines(day2).get(1)).startsWith("1,2026-01-01T00:00:00Z,");
        assertThat(dir.resolve("store/iotpm-csv.json")).content().contains("\"industrial_motor\"");
    }

    @Test
    void commitFile_isAsciiDigitsWhateverTheDefaultLocale_soTheStoreReopens() throws Exception {
        Locale host = Locale.getDefault();
        // Arabic formats %d with Arabic-Indic digits, which US-ASCII cannot encode: the commit file became '?'s.
        Locale.setDefault(Locale.forLanguageTag("ar-SA"));
        try {
            try (StorageBackend s = store()) {
                s.appendAll(minutes("PUMP_001", T0, 3));
            }
            assertThat(dir.resolve("store").resolve(CsvLayout.COMMIT)).content(StandardCharsets.US_ASCII)
                    .isEqualTo("00000000000000000001\n");
            try (StorageBackend s = store()) {
                assertThat(s.count("PUMP_001")).isEqualTo(3);
            }
        } finally {
            Locale.setDefault(host);
        }
    }

    @Test
    void tornLastLine_isDroppedOnOpen_andEverythingBeforeItKept() throws Exception {
        List<SensorReading> rs = minutes("PUMP_001", T0, 5);
        try (StorageBackend s = store()) {
            s.appendAll(rs);
        }
        Path f = store("PUMP_001", "2026-01-01");
        Files.writeString(f, "6,2026-01-01T00:05:00Z,,65.1,0.5", StandardOpenOption.APPEND);   // crash mid-line

        try (StorageBackend s = store()) {
            assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(rs);
            assertThat(s.count("PUMP_001")).isEqualTo(5);
            s.append(motor("PUMP_001", T0.plusSeconds(3600), 9));
        }
        assertThat(lines(f)).hasSize(7).noneMatch(l -> l.endsWith(",0.5"));
    }

    @Test
    void rowsOfAnUncommittedWrite_areDroppedOnOpen() throws Exception {
        List<SensorReading> rs = minutes("PUMP_001", T0, 3);
        try (StorageBackend s = store()) {
            s.appendAll(rs);
        }
        Path f = store("PUMP_001", "2026-01-01");
        String committedRow = lines(f).get(1);
        // A second batch whose rows reached the file but whose commit number did not.
        Files.writeString(f, committedRow.replaceFirst("^1,", "2,") + "\n" + committedRow.replaceFirst("^1,", "2,") + "\n",
                StandardOpenOption.APPEND);

        try (StorageBackend s = store()) {
            assertThat(s.count("PUMP_001")).isEqualTo(3);
            assertThat(s.range("PUMP_001", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(rs);
        }
        assertThat(lines(f)).hasSize(4);
    }

    @Test
    void corruptRowInTheMiddle_failsOpenNamingFileAndLine_andChangesNothing() throws Exception {
        try (StorageBackend s = store()) {
            s.appendAll(minutes("PUMP_001", T0, 5));
        }
        Path f = store("PUMP_001", "2026-01-01");
        List<String> ls = new ArrayList<>(lines(f));
        ls.set(3, ls.get(3).replaceFirst(",[0-9.]+,", ",sixty-five,"));
        Files.write(f, ls);
        byte[] before = Files.readAllBytes(f);

        assertThatThrownBy(this::store).isInstanceOf(StorageException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 4");

        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void infinityOrOutOfRangeValueInAFile_isReportedAsCorrupt() throws Exception {
        try (StorageBackend s = store()) {
            s.appendAll(minutes("PUMP_001", T0, 3));
        }
        Path f = store("PUMP_001", "2026-01-01");
        List<String> ls = new ArrayList<>(lines(f));
        String[] cells = ls.get(2).split(",", -1);
        cells[3] = "Infinity";
        ls.set(2, String.join(",", cells));
        Files.write(f, ls);

        assertThatThrownBy(this::store).isInstanceOf(StorageException.class)
                .hasMessageContaining("line 3").hasMessageContaining("temperature").hasMessageContaining("Infinity");
    }

    @Test
    void headerThatDoesNotMatchTheSchema_failsOpen() throws Exception {
        try (StorageBackend s = store()) {
            s.appendAll(minutes("PUMP_001", T0, 2));
        }
        Path f = store("PUMP_001", "2026-01-01");
        List<String> ls = new ArrayList<>(lines(f));
        ls.set(0, ls.get(0).replace("temperature", "temp"));
        Files.write(f, ls);
        assertThatThrownBy(this::store).isInstanceOf(StorageException.class)
                .hasMessageContaining("header").hasMessageContaining("line 1");
    }

    @Test
    void directoryThatIsNotAStore_isRefused_andLeftAlone() throws Exception {
        Path other = dir.resolve("photos");
        Files.createDirectories(other);
        Files.writeString(other.resolve("cat.jpg"), "meow");
        assertThatThrownBy(() -> StorageBackends.open("csv:" + other)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not an iotpm CSV store");
        try (Stream<Path> files = Files.list(other)) {
            assertThat(files).containsExactly(other.resolve("cat.jpg"));
        }
    }

    @Test
    void ioFailureMidBatch_rollsBackTheFilesAlreadyWritten() throws Exception {
        StorageBackend s = store();
        List<SensorReading> first = minutes("PUMP_A", T0, 3);
        s.appendAll(first);
        Path a = store("PUMP_A", "2026-01-01");
        byte[] before = Files.readAllBytes(a);
        // A directory where PUMP_B's day file belongs: opening it fails after PUMP_A's rows were written.
        Files.createDirectories(store("PUMP_B", "2026-01-01"));
        List<SensorReading> batch = new ArrayList<>(minutes("PUMP_A", T0.plusSeconds(3600), 5));
        batch.addAll(minutes("PUMP_B", T0, 5));

        assertThatThrownBy(() -> s.appendAll(batch)).isInstanceOf(StorageException.class)
                .hasMessageContaining("nothing was stored");

        assertThat(Files.readAllBytes(a)).isEqualTo(before);
        assertThat(s.range("PUMP_A", T0, T0.plus(Duration.ofDays(1)))).containsExactlyElementsOf(first);
        Files.delete(store("PUMP_B", "2026-01-01"));
        s.appendAll(batch);
        assertThat(reopen(s).count("PUMP_A")).isEqualTo(8);
    }

    @Test
    void eventDetailWithALineBreak_isRejected() {
        StorageBackend s = store();
        assertThatThrownBy(() -> s.appendEvent(new MaintenanceEvent("PUMP_001", T0, "repair\nand more")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThat(s.events("PUMP_001", T0, T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void fsyncOption_isAcceptedAndTyposAreNot() {
        try (StorageBackend s = StorageBackends.open("csv:" + dir.resolve("f") + "?fsync=true")) {
            s.append(motor("PUMP_001", T0, 0));
            assertThat(s.count("PUMP_001")).isEqualTo(1);
        }
        assertThatThrownBy(() -> StorageBackends.open("csv:" + dir.resolve("g") + "?fsnyc=true"))
                .hasMessageContaining("[fsnyc]");
    }
}
