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
        assertThat(CmapssCommand.Settings.from(new Command.Args(List.of("--binary-from", "classifier"))).binaryFrom())
                .isEqualTo("classifier");
        assertThat(CmapssCommand.Settings.from(new Command.Args(List.of())).binaryFrom()).isEqualTo("combined");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--ensemble", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--binary-window", "60"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 60");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--min-correlation", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--min-correlation");
        assertThatThrownBy(() -> CmapssCommand.Settings.from(new Command.Args(List.of("--min-correlation", "1.5")))
                .classifier()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void combine_averagesClassifierProbabilityAndRulScore() {
        assertThat(CmapssCommand.combine(new double[] {0.9, 0.1, 0.6}, new double[] {0.5, 0.3, 0.0}))
                .containsExactly(0.7, 0.2, 0.3);
        assertThatThrownBy(() -> CmapssCommand.combine(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 probabilities with 3");
    }

    @Test
    void combinedThreshold_isTheMeanOfEachPairsBestF1ThresholdOnItsOwnValidationWindows() {
        // Pair 1 separates its classes best at 0.6, pair 2 at 0.8: the rule uses 0.7.
        boolean[] labels = {false, false, true, true};
        double t = CmapssCommand.combinedThreshold(List.of(labels, labels),
                List.of(new double[] {0.1, 0.5, 0.6, 0.9}, new double[] {0.2, 0.7, 0.8, 0.95}));
        assertThat(t).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> CmapssCommand.combinedThreshold(List.of(labels), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1 and 0");
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
        // A shorter model window is scored on the same end cycles.
        CmapssCommand.Cases shorter = CmapssCommand.allWindows(engines, 30, 50);
        assertThat(shorter.windows()).hasSize(11);
        assertThat(shorter.windows().get(0).readings()).hasSize(30);
        assertThat(shorter.rul()).containsExactly(cases.rul());
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
