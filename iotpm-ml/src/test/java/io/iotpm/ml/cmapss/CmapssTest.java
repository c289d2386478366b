package io.iotpm.ml.cmapss;

import io.iotpm.core.FailureEvent;
import io.iotpm.ml.TrainingSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmapssTest {

    private static String row(int unit, int cycle) {
        StringBuilder b = new StringBuilder(unit + " " + cycle + " -0.0007 -0.0004 100.0");
        for (int s = 1; s <= 21; s++) {
            b.append(' ').append(500 + s + cycle * 0.01);
        }
        return b.append("  ").toString();
    }

    @Test
    void readTraining_mapsUnitsToDevicesAndLastCycleToFailure(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("train.txt");
        Files.write(f, List.of(row(1, 1), row(1, 2), row(1, 3), row(2, 1), row(2, 2)));
        Cmapss.Training t = Cmapss.readTraining(f, "hpc_degradation");
        assertThat(t.readings()).hasSize(5);
        assertThat(t.readings().get(0).deviceId()).isEqualTo("engine_001");
        assertThat(t.readings().get(0).value("s21")).isEqualTo(521.01);
        assertThat(t.readings().get(2).timestamp()).isEqualTo(Cmapss.START.plus(Cmapss.CYCLE.multipliedBy(3)));
        assertThat(t.failures()).extracting(FailureEvent::deviceId).containsExactly("engine_001", "engine_002");
        assertThat(t.failures().get(0).timestamp()).isEqualTo(t.readings().get(2).timestamp());
        TrainingSet set = t.toTrainingSet();
        assertThat(set.failureCount()).isEqualTo(2);
        assertThat(set.schema().size()).isEqualTo(24);
    }

    @Test
    void readTest_pairsEnginesWithTheirRul(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("test.txt");
        Path r = dir.resolve("rul.txt");
        Files.write(f, List.of(row(1, 1), row(1, 2), row(2, 1)));
        Files.write(r, List.of("112 ", "98"));
        List<Cmapss.TestEngine> engines = Cmapss.readTest(f, r);
        assertThat(engines).extracting(Cmapss.TestEngine::deviceId).containsExactly("test_engine_001", "test_engine_002");
        assertThat(engines).extracting(Cmapss.TestEngine::trueRul).containsExactly(112, 98);
        assertThat(engines.get(0).readings()).hasSize(2);
    }

    @Test
    void rejectsMalformedLinesNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.write(f, List.of(row(1, 1), "1 2 3"));
        assertThatThrownBy(() -> Cmapss.readTraining(f, "x")).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.txt:2").hasMessageContaining("expected 26 columns, found 3");
        Files.write(f, List.of(row(1, 2), row(1, 1)));
        assertThatThrownBy(() -> Cmapss.readTraining(f, "x")).hasMessageContaining("cycle 1 of unit 1 does not follow cycle 2");
        Files.write(f, List.of(row(1, 1).replace("100.0", "abc")));
        assertThatThrownBy(() -> Cmapss.readTraining(f, "x")).hasMessageContaining("bad.txt:1: not a number");
    }

    @Test
    void rejectsRulCountMismatch(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("test.txt");
        Path r = dir.resolve("rul.txt");
        Files.write(f, List.of(row(1, 1), row(2, 1)));
        Files.write(r, List.of("5"));
        assertThatThrownBy(() -> Cmapss.readTest(f, r)).hasMessageContaining("1 RUL values").hasMessageContaining("2 engines");
    }
}
