package io.iotpm.examples.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCommandTest {

    @TempDir
    Path dir;

    @Test
    void badOptions_failBeforeTheSimulation_namingTheValue() {
        Cli.run("model", "--devices", "2").assertUsageError("--devices must be >= 3");
        Cli.run("model", "--window", "1").assertUsageError("sequenceLength must be in [2, 10000], but was 1");
        Cli.run("model", "--learning-rate", "0").assertUsageError("learningRate must be in (0, 10], but was 0.0");
        Cli.run("model", "--layers", "32,0").assertUsageError("[32, 0]");
        Cli.run("model", "--rolling", "1").assertUsageError("rolling window must be 0 or >= 2, but was 1");
    }

    @Test
    void aSmallFleet_trainsEvaluatesOnUnseenDevicesAndSavesAModelThatLoadsBack() {
        Cli cli = Cli.run("model", "--devices", "5", "--days", "5", "--epochs", "2", "--layers", "8",
                "--out", dir.resolve("m").toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("training on 3 devices, testing on 2 unseen", "validation devices: F1",
                "unseen devices [PUMP_004, PUMP_005]", "loaded lstm-");
        assertThat(dir.resolve("m").resolve("model.json")).exists();
    }

    /** Issue 18's targets on the default protocol (measured: F1 0.872, ROC-AUC 0.993). */
    @Test
    @Tag("slow")
    void defaults_reachTheTargetsOnUnseenDevices() {
        Cli cli = Cli.run("model", "--out", dir.resolve("m").toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        Matcher m = Pattern.compile("unseen devices .*\\n.* F1 ([0-9.]+)  ROC-AUC ([0-9.]+)").matcher(cli.out());
        assertThat(m.find()).as(cli.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("F1").isGreaterThanOrEqualTo(0.8);
        assertThat(Double.parseDouble(m.group(2))).as("ROC-AUC").isGreaterThanOrEqualTo(0.98);
    }
}
