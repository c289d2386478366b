package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingCommandTest {

    @Test
    void streamingCommand_printsALiveLinePerSecond_andStoresWhatItStreamed() {
        Cli cli = Cli.run("streaming", "--devices", "3", "--seconds", "2", "--period-ms", "100");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("[  1s]", "[  2s]", "readings/s");
        assertThat(cli.out()).containsPattern("done: (\\d+) readings published, \\1 stored, 0 storage errors");
    }

    @Test
    void streamingCommand_rejectsBadArguments() {
        Cli cli = Cli.run("streaming", "--period-ms", "0");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--period-ms must be >= 1, but was 0");
    }
}
