package io.iotpm.examples;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.cmapss.Cmapss;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmapssCommandTest {

    @Test
    void settings_rejectBadOptionsNamingThem() {
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--binary-from", "vote"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'vote'");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--ensemble", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--min-correlation", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--min-correlation");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--min-correlation", "1.5")))
                .classifier()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void allWindows_labelsEveryWindowOfAHeldOutEngineFromItsEnd() {
        List<SensorReading> rs = new ArrayList<>();
        for (int c = 1; c <= 60; c++) {
            rs.add(SensorReading.of("engine_001", Cmapss.START.plus(Cmapss.CYCLE.multipliedBy(c)), Cmapss.schema(),
                    new double[Cmapss.schema().size()]));
        }
        Map<String, List<SensorReading>> engines = new LinkedHashMap<>();
        engines.put("engine_001", rs);
        CmapssCommand.Cases cases = CmapssCommand.allWindows(engines, 50);
        assertThat(cases.windows()).hasSize(11);
        assertThat(cases.windows().get(0).readings()).hasSize(50);
        // The last window ends at the failure (RUL 0); the first ends 10 cycles before it.
        assertThat(cases.rul()).startsWith(10.0).endsWith(0.0);
        assertThat(cases.labels()).containsOnly(true);
    }

    @Test
    void holdout_mustLeaveTrainingEngines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        java.nio.file.Path dir = java.nio.file.Path.of("..", "..", "shared", "data", "cmapss");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(dir.resolve("train_FD001.txt")));
        assertThatThrownBy(() -> new CmapssCommand().run(new Command.Args(List.of("--train",
                dir.resolve("train_FD001.txt").toString(), "--holdout", "100")), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--holdout must be below the 100");
    }
}
