package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./iotpm anomaly}: its help starts nothing, and bad options are rejected, naming them, before
 * any training. The evaluation itself is tested in iotpm-ml ({@code AnomalyEvaluationTest}).
 */
class AnomalyCommandTest {

    @Test
    void help_printsUsageAndStartsNothing() {
        Cli cli = Cli.run("anomaly", "--help");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("Usage: iotpm anomaly").contains("--part", "--early", "--persistence");
        assertThat(cli.err()).isEmpty();
        assertThat(Cli.run("--help").out()).contains("anomaly");
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        Cli.run("anomaly", "--part", "all").assertUsageError("'all'");
        Cli.run("anomaly", "--unseen", "10").assertUsageError("--unseen must be in [1, --devices), but was 10");
        Cli.run("anomaly", "--early", "20").assertUsageError("--early > 30");
        Cli.run("anomaly", "--percentile", "x").assertUsageError("--percentile");
        Cli.run("anomaly", "--percentile", "30").assertUsageError("thresholdPercentile must be in [50, 100], but was 30.0");
    }
}
