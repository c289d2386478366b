package io.iotpm.examples.cli;

import io.iotpm.core.config.IotpmConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiCommandTest {

    private static final String USERS = "alice:admin:pbkdf2-sha256$600000$c2FsdA$aGFzaA";

    private static IotpmConfig config(Map<String, String> env) {
        return IotpmConfig.builder().environment(env).systemProperties(new Properties()).build();
    }

    @Test
    void usersWithoutSecretKey_refuseToStart_insteadOfFallingBackToDemoPasswords() {
        assertThatThrownBy(() -> ApiCommand.realUsers(config(Map.of()), USERS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IOTPM_USERS is set but SECRET_KEY is not")
                .hasMessageContaining("demo mode");
    }

    @Test
    void usersAndSecretKey_meanRealUsers_andNeitherMeansDemoMode() {
        String secret = "0123456789abcdef0123456789abcdef0123456789";
        assertThat(ApiCommand.realUsers(config(Map.of("SECRET_KEY", secret)), USERS)).isTrue();
        assertThat(ApiCommand.realUsers(config(Map.of()), null)).isFalse();
    }
}
