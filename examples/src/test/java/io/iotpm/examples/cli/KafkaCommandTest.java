package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaCommandTest {

    @Test
    void kafkaCommand_onTheEmbeddedBroker_sharesDevicesAcrossPipelines_survivesACrash_andLosesNothing() {
        Cli cli = Cli.run("kafka", "--pipelines", "2", "--devices", "10", "--readings", "20", "--partitions", "4");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("embedded KRaft broker on localhost:", "pipeline 0 crashed at step 10",
                "pipeline 0 (crashed): ", "pipeline 1: ");
        assertThat(cli.out()).containsPattern("lost: 0 duplicated: \\d+\\n");
    }

    @Test
    void kafkaCommand_rejectsBadArguments() {
        Cli cli = Cli.run("kafka", "--pipelines", "0");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--pipelines must be in [1, 16], but was 0");
    }
}
