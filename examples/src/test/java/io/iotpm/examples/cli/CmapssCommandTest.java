package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The options of {@code ./iotpm cmapss}: bad values are rejected, naming them, before any work. The
 * protocol logic itself is tested in iotpm-ml ({@code io.iotpm.ml.cmapss.CmapssProtocolTest}).
 */
class CmapssCommandTest {

    @Test
    void settings_rejectBadOptionsNamingThem() {
        Cli.run("cmapss", "--binary-from", "vote").assertUsageError("'vote'");
        Cli.run("cmapss", "--ensemble", "0").assertUsageError("but was 0");
        Cli.run("cmapss", "--binary-window", "201").assertUsageError("but was 201");
        Cli.run("cmapss", "--min-correlation", "x").assertUsageError("--min-correlation");
        Cli.run("cmapss", "--min-correlation", "1.5").assertUsageError("1.5");
        Cli.run("cmapss", "--calibration", "isotonic").assertUsageError("'isotonic'");
        Cli.run("cmapss", "--schedule", "warm").assertUsageError("'warm'");
        Cli.run("cmapss", "--dropout", "1").assertUsageError("but was 1.0");
        Cli.run("cmapss", "--smoothing", "1").assertUsageError("smoothing must be 0 (off) or in (0, 1), but was 1.0");
        Cli.run("cmapss", "--rul-average", "0").assertUsageError("rulAverage must be in [1, 50], but was 0");
        Cli.run("cmapss", "--rul-schedule", "warm").assertUsageError("--rul-schedule must be plateau, cosine, step or"
                + " constant, but was 'warm'");
        Cli.run("cmapss", "--rul-holdout", "0").assertUsageError("PLATEAU needs a hold-out");
        Cli.run("cmapss", "--rul-holdout", "0.7").assertUsageError("rulHoldout must be in [0, 0.5], but was 0.7");
        Cli.run("cmapss", "--cases", "out", "--rul-average", "3")
                .assertUsageError("--cases writes last-window estimates, so it cannot go with --rul-average 3");
        Cli.run("cmapss", "--rul-window", "29").assertUsageError("rulWindow must be in [30, 200], but was 29");
        Cli.run("cmapss", "--binary-rul-window", "201").assertUsageError("binaryRulWindow must be in [30, 200], but was 201");
    }

    @Test
    void rulWindow_reachesTheRegressorWithTheProtocolsMinimumHistory() {
        CmapssCommand command = new CmapssCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs("--rul-window", "80");
        try (io.iotpm.ml.LstmPredictor rul = command.settings().regressors().get(0).build()) {
            assertThat(rul.sequenceLength()).isEqualTo(80);
            assertThat(rul.minHistory()).isEqualTo(io.iotpm.ml.cmapss.CmapssSettings.RUL_MIN_HISTORY);
        }
        // The binary protocol's RUL ensemble keeps its own validated window.
        try (io.iotpm.ml.LstmPredictor rul = command.settings().binaryRegressor().build()) {
            assertThat(rul.sequenceLength()).isEqualTo(io.iotpm.ml.cmapss.CmapssSettings.DEFAULT_BINARY_RUL_WINDOW);
        }
    }

    @Test
    void rulWindowList_givesEachMemberItsWindowInTurn() {
        CmapssCommand command = new CmapssCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs("--rul-window", "30,50,80", "--ensemble", "4");
        assertThat(command.settings().rulWindows()).containsExactly(30, 50, 80);
        assertThat(command.settings().regressors()).extracting(b -> {
            try (io.iotpm.ml.LstmPredictor m = b.build()) {
                return m.sequenceLength();
            }
        }).containsExactly(30, 50, 80, 30);
        Cli.run("cmapss", "--rul-window", "50,29").assertUsageError("rulWindow must be in [30, 200], but was 29 (in [50, 29])");
    }

    @Test
    void smoothingAndRulAverage_reachTheProtocolsBuilders() {
        CmapssCommand command = new CmapssCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs();
        assertThat(command.settings().smoothing()).isEqualTo(io.iotpm.ml.cmapss.CmapssSettings.DEFAULT_SMOOTHING);
        assertThat(command.settings().rulAverage()).isEqualTo(io.iotpm.ml.cmapss.CmapssSettings.DEFAULT_RUL_AVERAGE);
        cl.parseArgs("--smoothing", "0.3", "--rul-average", "5");
        assertThat(command.settings().smoothing()).isEqualTo(0.3);
        assertThat(command.settings().rulAverage()).isEqualTo(5);
        assertThat(command.settings().regressors().get(0).build().isTrained()).isFalse();
    }

    @Test
    void settings_defaultToTheValidatedProtocol_noCalibrationPlateauDropout02() {
        CmapssCommand command = new CmapssCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs();
        assertThat(command.settings().calibration()).isEqualTo(io.iotpm.ml.LstmPredictor.Calibration.NONE);
        assertThat(command.settings().schedule()).isEqualTo(io.iotpm.ml.LstmPredictor.Schedule.PLATEAU);
        assertThat(command.settings().dropout()).isEqualTo(0.2);
        cl.parseArgs("--calibration", "platt", "--schedule", "cosine");
        assertThat(command.settings().classifier().build().isTrained()).isFalse();
        assertThat(command.settings().schedule()).isEqualTo(io.iotpm.ml.LstmPredictor.Schedule.COSINE);
    }

    @Test
    void settings_defaultToTheCombinedDecision() {
        CmapssCommand command = new CmapssCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs();
        assertThat(command.settings().binaryDecision().label()).isEqualTo("combined");
        cl.parseArgs("--binary-from", "classifier");
        assertThat(command.settings().binaryDecision().label()).isEqualTo("classifier");
    }

    @Test
    void holdout_mustLeaveTrainingEngines() {
        Path dir = Path.of("..", "..", "shared", "data", "cmapss");
        assumeThat(Files.exists(dir.resolve("train_FD001.txt"))).isTrue();
        Cli.run("cmapss", "--train", dir.resolve("train_FD001.txt").toString(), "--holdout", "100").assertUsageError("--holdout must be below the 100");
    }
}
