package io.iotpm.examples.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MqttCommandTest {

    @Test
    void mqttCommand_withoutMqttUrl_runsDevicesThroughTheEmbeddedBroker_andLosesNothing() {
        Cli cli = Cli.run("mqtt", "--devices", "10", "--rate", "200", "--seconds", "3");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("embedded Moquette", "[  1s]", "[  3s]");
        assertThat(cli.out()).containsPattern("(?m)^published: ([1-9]\\d*) stored: \\1 lost: 0$");
        assertThat(cli.out()).containsPattern("back to devices: [1-9]\\d* predictions \\(retained\\)");
    }

    @Test
    void mqttCommand_helpStartsNothing_andBadArgumentsAreUsageErrors() {
        Cli help = Cli.run("mqtt", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("MQTT_URL", "--devices", "--rate");
        Cli.run("mqtt", "--rate", "0").assertUsageError("--rate and --seconds must be >= 1");
    }
}
