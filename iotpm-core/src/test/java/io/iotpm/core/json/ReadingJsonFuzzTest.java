package io.iotpm.core.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the JSON reading parser, which takes bodies from the network ({@code POST /api/readings}, MQTT). For
 * any text: it either returns readings or throws {@link IllegalArgumentException} (usually
 * {@link InvalidJsonException} naming the field); and what it accepts survives a write/read round trip
 * unchanged (null is a documented {@link NullPointerException}, so the fuzzer never sends it).
 * {@code ./mvnw verify} replays {@code src/test/resources/.../ReadingJsonFuzzTestInputs};
 * {@code -Pfuzz} fuzzes.
 */
class ReadingJsonFuzzTest {

    private static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());

    @FuzzTest(maxDuration = "2m")
    void readAll_failsOnlyWithIllegalArgument_andRoundTripsWhatItAccepts(@NotNull String text) {
        List<SensorReading> readings;
        try {
            readings = JSON.readAll(text);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        String written = JSON.writeAll(readings);
        assertThat(JSON.writeAll(JSON.readAll(written))).isEqualTo(written);
    }
}
