package io.iotpm.core.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

/**
 * Writes a reading's flat JSON object straight into a {@code StringBuilder}: the fast path of
 * {@link ReadingJson#write(SensorReading)}, byte for byte the text its generator path makes.
 */
final class ReadingText {

    private ReadingText() {
    }

    /**
     * The same text as {@link ReadingJson#write(SensorReading, com.fasterxml.jackson.core.JsonGenerator)} makes, without a generator: a
     * reading's device id and channel names are validated to need no JSON escaping, so only its
     * numbers need work (the generator's per-call set-up and escaping were half of the MQTT load
     * generator's JSON time). Null for a value the generator writes as a quoted string (infinity).
     */
    static String write(SensorReading reading) {
        SensorSchema s = reading.schema();
        StringBuilder b = new StringBuilder(64 + 24 * s.size());
        b.append("{\"device_id\":\"").append(reading.deviceId()).append("\",\"timestamp\":\"")
                .append(IsoInstants.format(reading.timestamp())).append('"');
        for (int i = 0; i < s.size(); i++) {
            b.append(",\"").append(s.channelName(i)).append("\":");
            if (!number(b, reading.value(i))) {
                return null;
            }
        }
        double health = reading.healthScore();
        if (!Double.isNaN(health)) {
            b.append(",\"health_score\":");
            if (!number(b, health)) {
                return null;
            }
            b.append(",\"status\":\"").append(reading.status().name()).append('"');
        }
        return b.append('}').toString();
    }

    /** Appends {@code v} as the generator writes it (NaN as null); false for an infinity. */
    private static boolean number(StringBuilder b, double v) {
        if (Double.isNaN(v)) {
            b.append("null");
            return true;
        }
        if (Double.isInfinite(v)) {
            return false;
        }
        b.append(NumberOutput.toString(v, true));
        return true;
    }
}
