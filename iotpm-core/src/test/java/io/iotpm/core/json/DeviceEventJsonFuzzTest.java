package io.iotpm.core.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.iotpm.core.SensorSchema;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzes the JSON event parser: any text gives an event or an {@link IllegalArgumentException}, nothing else. */
class DeviceEventJsonFuzzTest {

    private static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());

    @FuzzTest(maxDuration = "2m")
    void readEvent_failsOnlyWithIllegalArgument(@NotNull String text) {
        try {
            assertThat(JSON.readEvent(text)).isNotNull();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
