package io.iotpm.mqtt;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.test.server.MosquittoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User name and password at a real broker; the password appears in no toString, exception or log line. */
class MqttCredentialsTest {

    private static final String PASSWORD = "Pl4nt-S3cret-xyz";
    private static MosquittoServer broker;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoServer.builder().user("gateway", PASSWORD).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void theRightPasswordConnects_aWrongOneFailsClearly_andNoOutputContainsThePassword() throws Exception {
        StringBuilder paho = new StringBuilder();
        Logger pahoLog = Logger.getLogger("org.eclipse.paho.client.mqttv3");
        Level before = pahoLog.getLevel();
        Handler capture = new Handler() {
            private final SimpleFormatter f = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                synchronized (paho) {
                    paho.append(f.format(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        pahoLog.setLevel(Level.ALL);
        pahoLog.addHandler(capture);
        PrintStream err = System.err;
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        System.setErr(new PrintStream(ours, true, StandardCharsets.UTF_8));
        MqttSettings good = MqttSettings.builder(broker.url()).credentials("gateway", PASSWORD.toCharArray()).build();
        MqttSettings bad = MqttSettings.builder(broker.url()).credentials("gateway", "wrong-Pw-123".toCharArray()).build();
        try (StreamHub hub = StreamHub.inMemory().build()) {
            try (MqttIngest ingest = MqttIngest.builder(good, hub, SensorSchema.industrialMotor())
                    .clientId("ingest-auth").build().start()) {
                assertThat(ingest.isConnected()).isTrue();
                assertThat(ingest.toString()).contains("gateway").doesNotContain(PASSWORD);
            }
            assertThatThrownBy(() -> MqttIngest.builder(bad, hub, SensorSchema.industrialMotor())
                    .clientId("ingest-auth-bad").build().start())
                    .isInstanceOf(MqttClientException.class).hasMessageContaining(broker.url())
                    .hasMessageNotContaining("wrong-Pw-123");
            assertThatThrownBy(() -> MqttPublisher.builder(MqttSettings.builder(broker.url()).build(), hub).build().start())
                    .isInstanceOf(MqttClientException.class).hasMessageContaining("cannot connect");
        } finally {
            System.setErr(err);
            pahoLog.removeHandler(capture);
            pahoLog.setLevel(before);
        }
        assertThat(good.toString()).contains("password=****").doesNotContain(PASSWORD);
        assertThat(paho.toString()).isNotEmpty().doesNotContain(PASSWORD).doesNotContain("wrong-Pw-123");
        assertThat(ours.toString(StandardCharsets.UTF_8)).contains("ingest-auth").doesNotContain(PASSWORD);
    }

    @Test
    void settingsComeFromTheConfig_andBadUrlsAreRejectedWithoutEchoingUserInformation() {
        IotpmConfig config = IotpmConfig.builder().environment(Map.of("MQTT_URL", broker.url(), "MQTT_USERNAME", "gateway",
                "MQTT_PASSWORD", PASSWORD)).systemProperties(new Properties()).build();
        MqttSettings s = MqttSettings.fromConfig(config).orElseThrow();
        assertThat(s.url()).isEqualTo(broker.url());
        assertThat(s.username()).contains("gateway");
        assertThat(s.hasPassword()).isTrue();
        assertThat(s.toString()).doesNotContain(PASSWORD);
        assertThat(MqttSettings.fromConfig(IotpmConfig.builder().environment(Map.of()).systemProperties(new Properties())
                .build())).isEmpty();
        assertThatThrownBy(() -> MqttSettings.builder("tcp://user:" + PASSWORD + "@host:1883"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(PASSWORD).hasMessageContaining("****@");
        assertThatThrownBy(() -> MqttSettings.builder("http://host:1883")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://host:1883'");
        assertThatThrownBy(() -> MqttIngest.builder(s, StreamHub.inMemory().build(), SensorSchema.industrialMotor())
                .topicFilter("devices/#")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'devices/#'");
        assertThatThrownBy(() -> MqttIngest.builder(s, StreamHub.inMemory().build(), SensorSchema.industrialMotor())
                .topicFilter("devices/x+/telemetry")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttIngest.builder(s, StreamHub.inMemory().build(), SensorSchema.industrialMotor())
                .window(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
    }
}
