package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IotpmCliTest {

    @Test
    void version_printsTheProjectVersion() {
        Cli cli = Cli.run("--version");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("iotpm ").doesNotContain("${").containsPattern("\\d+\\.\\d+");
    }

    @Test
    void noSubcommand_printsUsageAsAnError() {
        Cli cli = Cli.run();
        assertThat(cli.exitCode()).isEqualTo(IotpmCli.USAGE);
        assertThat(cli.err()).contains("Usage: iotpm", "demo", "cmapss", "tensorflow", "config");
    }

    @Test
    void help_listsEverySubcommand() {
        for (Cli cli : new Cli[] {Cli.run("help"), Cli.run("--help")}) {
            assertThat(cli.exitCode()).isZero();
            assertThat(cli.out()).contains("demo", "data", "storage", "streaming", "alert", "model", "cmapss",
                    "tensorflow", "api", "dashboard", "config", "kafka");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "data", "storage", "streaming", "alert", "model", "cmapss", "tensorflow", "api",
            "dashboard", "config", "kafka"})
    void subcommandHelp_printsUsageAndStartsNothing(String name) {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        // A liveness bound, not a timing claim: api and dashboard would serve until Ctrl-C, cmapss would train
        // for 15 minutes.
        Cli cli = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> Cli.run(name, "--help"));
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("Usage: iotpm " + name).contains("--help");
        assertThat(cli.err()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).as("no server or worker left running")
                .filteredOn(t -> t.isAlive() && !t.isDaemon() && !before.contains(t)
                        && !t.getName().startsWith("junit-timeout"))
                .isEmpty();
    }

    @Test
    void misspelledOption_isAnErrorThatSuggestsTheRightOne() {
        Cli cli = Cli.run("storage", "--devcies", "3");
        cli.assertUsageError("--devcies");
        assertThat(cli.err()).contains("--devices");
    }

    @Test
    void unknownSubcommand_andStrayArguments_areErrors() {
        Cli.run("stroage").assertUsageError("stroage");
        Cli.run("config", "extra").assertUsageError("extra");
    }

    @Test
    void badValue_isAUsageErrorNamingTheOption() {
        Cli.run("storage", "--devices", "x").assertUsageError("--devices");
        Cli.run("data", "--days", "0").assertUsageError("iotpm data: --days must be >= 1, but was 0");
    }

    @Test
    void storage_onAnUnreachablePostgresServer_saysHowToGetOne() {
        Cli cli = Cli.run("storage", "--store", "postgresql://iotpm@127.0.0.1:1/iotpm", "--devices", "0");
        assertThat(cli.exitCode()).isNotZero();
        assertThat(cli.out()).contains("postgresql");
        assertThat(cli.err()).contains("127.0.0.1:1", "apt-get install postgresql");
    }

    @Test
    void config_printsTheSettingsTable() {
        Cli cli = Cli.run("config");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("setting ").contains("API_PORT", "STORAGE_URI");
    }
}
