package io.iotpm.core.json;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReadingJsonTest {

    static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());
    static final String GOOD = "{\"device_id\":\"PUMP_001\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"temperature\":65.2,"
            + "\"vibration_x\":0.5,\"vibration_y\":0.4,\"vibration_z\":0.3,\"pressure\":2.5,\"rpm\":1800,\"current\":15,"
            + "\"voltage\":220,\"power_factor\":0.95,\"noise\":45}";

    @Test
    void roundTripsSimulatedReadingsExactly() {
        SensorSimulator sim = SensorSimulator.builder().seed(7).start(Instant.parse("2026-01-01T00:00:00Z")).build();
        List<SensorReading> readings = sim.history(java.time.Duration.ofHours(3)).toList();
        for (SensorReading r : readings) {
            assertThat(JSON.read(JSON.write(r))).isEqualTo(r);
        }
        assertThat(JSON.readAll(JSON.writeAll(readings))).isEqualTo(readings);
    }

    @Test
    void write_givesTheGeneratorsTextExactly_forEveryValueKindAndPrecision() throws Exception {
        SensorSimulator sim = SensorSimulator.builder().seed(11).start(Instant.parse("2026-01-01T00:00:00.123456789Z"))
                .build();
        List<SensorReading> readings = new java.util.ArrayList<>(sim.history(java.time.Duration.ofHours(1)).toList());
        readings.add(JSON.read(GOOD).withHealthScore(0));
        readings.add(JSON.read(GOOD.replace("65.2", "1.0E-7").replace("1800", "5999.000000001")));
        var factory = new com.fasterxml.jackson.core.JsonFactory().rebuild()
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
        java.io.StringWriter all = new java.io.StringWriter();
        try (var array = factory.createGenerator(all)) {
            array.writeStartArray();
            for (SensorReading r : readings) {
                java.io.StringWriter w = new java.io.StringWriter();
                try (var g = factory.createGenerator(w)) {
                    JSON.write(r, g);
                }
                assertThat(JSON.write(r)).isEqualTo(w.toString());
                JSON.write(r, array);
            }
            array.writeEndArray();
        }
        assertThat(JSON.writeAll(readings)).isEqualTo(all.toString());
    }

    @Test
    void writesTheOriginalSystemsFlatShape() {
        SensorReading r = JSON.read(GOOD).withHealthScore(93.5);
        assertThat(JSON.write(r)).startsWith("{\"device_id\":\"PUMP_001\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"temperature\":65.2")
                .endsWith("\"health_score\":93.5,\"status\":\"NORMAL\"}");
    }

    @Test
    void acceptsPythonIsoformatOffsetsAndEpochMillis() {
        assertThat(JSON.read(GOOD.replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456")).timestamp())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
        assertThat(JSON.read(GOOD.replace("2026-01-01T00:00:00Z", "2026-01-01T09:00:00+09:00")).timestamp())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(JSON.read(GOOD.replace("\"2026-01-01T00:00:00Z\"", "1767225600000")).timestamp())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void rejectsUnknownChannelNamingIt() {
        InvalidJsonException e = catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("}", ",\"humidity\":40}")));
        assertThat(e.field()).isEqualTo("humidity");
        assertThat(e).hasMessageContaining("unknown channel 'humidity'").hasMessageContaining("known channels: temperature");
    }

    @Test
    void rejectsNonNumericValueNamingTheField() {
        InvalidJsonException e = catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("\"rpm\":1800", "\"rpm\":\"fast\"")));
        assertThat(e.field()).isEqualTo("rpm");
        assertThat(e).hasMessageContaining("'rpm' must be a number, but was a string");
    }

    @Test
    void rejectsMissingChannelsAndFields() {
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace(",\"noise\":45", ""))).field()).isEqualTo("noise");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("\"device_id\":\"PUMP_001\",", ""))).field()).isEqualTo("device_id");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("\"timestamp\":\"2026-01-01T00:00:00Z\",", ""))).field()).isEqualTo("timestamp");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("\"noise\":45", "\"noise\":null"))).field()).isEqualTo("noise");
    }

    @Test
    void rejectsMalformedPartialDuplicateAndTrailingJson() {
        assertThatThrownBy(() -> JSON.read(GOOD.substring(0, 60))).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> JSON.read("not json")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> JSON.read("[1,2]")).hasMessageContaining("expected a JSON object");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("}", ",\"rpm\":1}"))).field()).isEqualTo("rpm");
        assertThatThrownBy(() -> JSON.read(GOOD + "{}")).hasMessageContaining("unexpected content");
    }

    @Test
    void rejectsEveryRepeatedField_namingIt_inOneObjectAndInAnArray() {
        InvalidJsonException channel = catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("}", ",\"rpm\":1}")));
        assertThat(channel.getMessage()).contains("malformed JSON at line 1, column").contains("Duplicate field 'rpm'");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("}", ",\"timestamp\":\"2026-01-01T00:00:00Z\"}"))).field())
                .isEqualTo("timestamp");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("}", ",\"device_id\":\"PUMP_002\"}"))).field()).isEqualTo("device_id");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.readAll("[" + GOOD + "," + GOOD.replace("}", ",\"status\":null}").replace("{",
                        "{\"status\":null,") + "]")).getMessage()).contains("Duplicate field 'status'");
    }

    @Test
    void rejectsUnsafeDeviceIdBadTimestampAndOutOfRangeValues() {
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("PUMP_001", "../../etc/passwd"))).field()).isEqualTo("device_id");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("2026-01-01T00:00:00Z", "yesterday"))).getMessage())
                .contains("'yesterday'").contains("ISO-8601");
        assertThat(catchThrowableOfType(InvalidJsonException.class,
                () -> JSON.read(GOOD.replace("\"temperature\":65.2", "\"temperature\":1e308"))).field())
                .isEqualTo("temperature");
    }

    @Test
    void readAll_namesTheElementIndexOfABadReading() {
        String array = "[" + GOOD + "," + GOOD.replace("\"rpm\":1800", "\"rpm\":true") + "]";
        InvalidJsonException e = catchThrowableOfType(InvalidJsonException.class, () -> JSON.readAll(array));
        assertThat(e.field()).isEqualTo("[1].rpm");
        assertThat(e).hasMessageStartingWith("element [1]:");
    }

    @Test
    void roundTripsEventsAndRejectsUnknownEventTypes() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (DeviceEvent e : List.of(new FailureEvent("PUMP_001", t, "bearing_wear"),
                new MaintenanceEvent("PUMP_001", t, "repair"))) {
            assertThat(JSON.readEvent(JSON.write(e))).isEqualTo(e);
        }
        assertThat(catchThrowableOfType(InvalidJsonException.class, () -> JSON.readEvent(
                "{\"device_id\":\"P\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"explosion\",\"detail\":\"x\"}"))
                .field()).isEqualTo("type");
    }
}
