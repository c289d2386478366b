package io.iotpm.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code ./iotpm} in this JVM and captures what it printed. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = IotpmCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts a usage error (exit 2) whose message on stderr contains {@code text}, and nothing on stdout. */
    void assertUsageError(String text) {
        assertThat(exitCode).as("exit code; stderr: %s", err).isEqualTo(IotpmCli.USAGE);
        assertThat(err).contains(text);
        assertThat(out).isEmpty();
    }
}
