package io.iotpm.mqtt;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.InvalidJsonException;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.stream.StreamHub;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The worker's pure parts: the device level of a topic and the reason of a parse error. */
class IngestWorkerTest {

    private static IngestWorker worker(int deviceLevel) {
        return new IngestWorker(1, StreamHub.inMemory().build(), ReadingJson.of(SensorSchema.industrialMotor()),
                deviceLevel, new Rejections(0, null));
    }

    @Test
    void deviceOf_takesTheWildcardLevel_andRefusesMissingOrUnsafeIds() {
        IngestWorker w = worker(1);
        assertThat(w.deviceOf("devices/PUMP_001/telemetry")).isEqualTo("PUMP_001");
        assertThat(w.deviceOf("devices/PUMP_001")).isEqualTo("PUMP_001");
        assertThat(w.deviceOf("devices")).isNull();
        assertThat(w.deviceOf("devices//telemetry")).isNull();
        assertThat(w.deviceOf("devices/../telemetry")).isNull();
        assertThat(worker(0).deviceOf("PUMP_7/telemetry")).isEqualTo("PUMP_7");
        assertThat(worker(2).deviceOf("plant/a/M-1")).isEqualTo("M-1");
    }

    @Test
    void classify_namesTheReasonOfAParseError() {
        ReadingJson json = ReadingJson.of(SensorSchema.industrialMotor());
        assertThat(IngestWorker.classify(catchThrowableOfType(InvalidJsonException.class, () -> json.readAll("[1,"))))
                .isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(IngestWorker.classify(catchThrowableOfType(InvalidJsonException.class, () -> json.readAll("\"x\""))))
                .isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(IngestWorker.classify(catchThrowableOfType(InvalidJsonException.class,
                () -> json.readAll("{\"device_id\":\"A\",\"timestamp\":0,\"foo\":1}")))).isEqualTo(RejectReason.UNKNOWN_CHANNEL);
        assertThat(IngestWorker.classify(catchThrowableOfType(InvalidJsonException.class,
                () -> json.readAll("{\"device_id\":\"A\",\"timestamp\":\"yesterday\"}")))).isEqualTo(RejectReason.INVALID_VALUE);
    }
}
