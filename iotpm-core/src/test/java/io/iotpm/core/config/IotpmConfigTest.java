package io.iotpm.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IotpmConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void usesDefaultsWhenNothingIsSet() {
        IotpmConfig c = IotpmConfig.builder().environment(Map.of()).systemProperties(props()).build();
        assertThat(c.apiPort()).isEqualTo(5000);
        assertThat(c.debug()).isFalse();
        assertThat(c.secretKey()).isNull();
        assertThat(c.get(IotpmConfig.ALERT_COOLDOWN)).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.get(IotpmConfig.KAFKA_TOPIC)).isEqualTo("iot_sensor_data");
        assertThat(c.source(IotpmConfig.API_PORT)).isEqualTo("default");
    }

    @Test
    void precedenceIsBuilderThenSystemPropertyThenEnvironmentThenDefault() {
        Map<String, String> env = Map.of("API_PORT", "7000", "REDIS_PORT", "6380", "SMTP_SERVER", "mail.env");
        Properties p = props("iotpm.api.port", "8000", "iotpm.smtp.server", "mail.prop");
        IotpmConfig c = IotpmConfig.builder().environment(env).systemProperties(p)
                .set(IotpmConfig.SMTP_SERVER, "mail.builder").build();
        assertThat(c.smtpServer()).isEqualTo("mail.builder");
        assertThat(c.source(IotpmConfig.SMTP_SERVER)).isEqualTo("builder");
        assertThat(c.apiPort()).isEqualTo(8000);
        assertThat(c.source(IotpmConfig.API_PORT)).isEqualTo("system property iotpm.api.port");
        assertThat(c.get(IotpmConfig.REDIS_PORT)).isEqualTo(6380);
        assertThat(c.source(IotpmConfig.REDIS_PORT)).isEqualTo("environment REDIS_PORT");
    }

    @Test
    void portFallsBackToThePortAlias() {
        IotpmConfig c = IotpmConfig.builder().environment(Map.of("PORT", "8080")).systemProperties(props()).build();
        assertThat(c.apiPort()).isEqualTo(8080);
        assertThat(c.source(IotpmConfig.API_PORT)).isEqualTo("environment PORT");
        IotpmConfig both = IotpmConfig.builder().environment(Map.of("PORT", "8080", "API_PORT", "9090"))
                .systemProperties(props()).build();
        assertThat(both.apiPort()).isEqualTo(9090);
    }

    @Test
    void invalidValuesFailWithTheVariableNameAndTheBadValue() {
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of("API_PORT", "abc")).systemProperties(props()).build())
                .hasMessageContaining("API_PORT").hasMessageContaining("'abc'").hasMessageContaining("environment");
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of("PORT", "70000")).systemProperties(props()).build())
                .hasMessageContaining("PORT").hasMessageContaining("'70000'");
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of()).systemProperties(props("iotpm.debug", "maybe")).build())
                .hasMessageContaining("DEBUG (system property iotpm.debug)").hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of("EMAIL_TO", "ops@x.io, nobody")).systemProperties(props()).build())
                .hasMessageContaining("EMAIL_TO");
        assertThatThrownBy(() -> IotpmConfig.builder().parse(IotpmConfig.ALERT_COOLDOWN, "-5m"))
                .hasMessageContaining("ALERT_COOLDOWN");
    }

    @Test
    void mqttUrlAcceptsTcpAndSsl_andRejectsAnythingElseWithTheBadValue() {
        IotpmConfig c = IotpmConfig.builder().environment(Map.of("MQTT_URL", "ssl://broker.plant:8883"))
                .systemProperties(props()).build();
        assertThat(c.get(IotpmConfig.MQTT_URL)).isEqualTo("ssl://broker.plant:8883");
        assertThat(IotpmConfig.builder().environment(Map.of()).systemProperties(props()).build()
                .get(IotpmConfig.MQTT_URL)).isNull();
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of("MQTT_URL", "http://broker:80"))
                .systemProperties(props()).build())
                .hasMessageContaining("MQTT_URL").hasMessageContaining("'http://broker:80'");
    }

    @Test
    void shortSecretIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> IotpmConfig.builder().environment(Map.of("SECRET_KEY", "hunter2")).systemProperties(props()).build())
                .hasMessageContaining("SECRET_KEY").hasMessageContaining("at least 32").hasMessageNotContaining("hunter2");
    }

    @Test
    void toStringMasksSecrets() {
        String secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t";
        IotpmConfig c = IotpmConfig.builder().environment(Map.of("SECRET_KEY", secret, "SMTP_PASSWORD", "pw"))
                .systemProperties(props()).build();
        assertThat(c.secretKey()).isEqualTo(secret);
        assertThat(c.toString()).doesNotContain(secret).doesNotContain("=pw").contains("SECRET_KEY=***");
    }

    @Test
    void parsesDurationsListsAndBooleans() {
        IotpmConfig c = IotpmConfig.builder().environment(Map.of("ALERT_COOLDOWN", "90s", "DATA_RETENTION", "PT48H",
                "EMAIL_TO", "a@x.io, b@y.io", "EMAIL_ENABLED", "yes", "LOG_LEVEL", "debug")).systemProperties(props()).build();
        assertThat(c.get(IotpmConfig.ALERT_COOLDOWN)).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.get(IotpmConfig.DATA_RETENTION)).isEqualTo(Duration.ofHours(48));
        assertThat(c.get(IotpmConfig.EMAIL_TO)).isEqualTo(List.of("a@x.io", "b@y.io"));
        assertThat(c.emailEnabled()).isTrue();
        assertThat(c.get(IotpmConfig.LOG_LEVEL)).isEqualTo("DEBUG");
    }
}
