package io.iotpm.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"PUMP_001", "a", "engine_100", "plant-1:line.2:motor_3", "x.y"})
    void acceptsSafeIds(String id) {
        assertThat(DeviceIds.requireValid(id)).isEqualTo(id);
        assertThat(DeviceIds.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "..", ".", "...", "a/b", "a\\b", "a b", "PUMP'; DROP TABLE readings;--",
        "%2e%2e", "a\u0000b", "é"})
    void rejectsUnsafeIds(String id) {
        assertThatThrownBy(() -> DeviceIds.requireValid(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device id");
        assertThat(DeviceIds.isValid(id)).isFalse();
    }

    @Test
    void rejectsEmptyNullAndTooLongIds() {
        assertThatThrownBy(() -> DeviceIds.requireValid("")).hasMessageContaining("1 to 64 characters");
        assertThatThrownBy(() -> DeviceIds.requireValid(null)).hasMessageContaining("must not be null");
        assertThat(DeviceIds.isValid("a".repeat(64))).isTrue();
        assertThatThrownBy(() -> DeviceIds.requireValid("a".repeat(65))).hasMessageContaining("65 characters");
    }

    @Test
    void rejectsDeviceIdWithPathSeparator_namingTheCharacterAndIndex() {
        assertThatThrownBy(() -> DeviceIds.requireValid("pump/7"))
                .hasMessageContaining("'/'").hasMessageContaining("index 4");
    }
}
