package io.iotpm.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.Timestamps;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * JSON form of readings and events, in the original system's flat shape:
 * <pre>{"device_id":"PUMP_001","timestamp":"2026-01-01T00:00:00Z","temperature":65.2,...,
 *  "health_score":93.1,"status":"NORMAL"}</pre>
 *
 * <p>Reading accepts {@code timestamp} as an ISO-8601 instant or offset date-time, as a local
 * date-time (taken as UTC, which is what Python's {@code isoformat()} writes for naive times), or as
 * epoch milliseconds. A channel may be {@code null} (missing) only where the schema allows it; NaN is
 * written as {@code null}. {@code health_score} and {@code status} are optional; {@code status} is
 * derived from the score, so on input it must agree with {@code health_score} or be left out (a status
 * alone, or one the score contradicts, is an {@link InvalidJsonException}, never silently dropped). Anything else (an unknown field, a duplicate field, a
 * string where a number belongs, trailing content) is an {@link InvalidJsonException} naming the field.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ReadingJson {

    private static final int MAX_DOCUMENT_CHARS = 50_000_000;

    private final SensorSchema schema;
    private final JsonFactory factory;

    private ReadingJson(SensorSchema schema) {
        this.schema = schema;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(8).maxNumberLength(64).maxStringLength(4096)
                        .maxDocumentLength(MAX_DOCUMENT_CHARS).build())
                // Readings are mostly doubles: the JDK's conversions were a fifth of the ingest's and
                // the load generator's time in the MQTT fleet profile; these give the same values.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @param schema the channels readings are read with
     * @return a codec for that schema
     */
    public static ReadingJson of(SensorSchema schema) {
        return new ReadingJson(Objects.requireNonNull(schema, "schema"));
    }

    /** @return the schema */
    public SensorSchema schema() {
        return schema;
    }

    /** @return the reading as a JSON object */
    public String write(SensorReading reading) {
        String direct = ReadingText.write(reading);
        return direct != null ? direct : writeWithGenerator(reading);
    }

    private String writeWithGenerator(SensorReading reading) {
        StringWriter w = new StringWriter(64 + 24 * reading.schema().size());
        try (JsonGenerator g = factory.createGenerator(w)) {
            write(reading, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** @return the readings as a JSON array */
    public String writeAll(List<SensorReading> readings) {
        StringBuilder b = new StringBuilder(16 + readings.size() * 256).append('[');
        for (SensorReading r : readings) {
            String one = ReadingText.write(r);
            if (one == null) {
                return writeAllWithGenerator(readings);
            }
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(one);
        }
        return b.append(']').toString();
    }

    private String writeAllWithGenerator(List<SensorReading> readings) {
        StringWriter w = new StringWriter(16 + readings.size() * 256);
        try (JsonGenerator g = factory.createGenerator(w)) {
            g.writeStartArray();
            for (SensorReading r : readings) {
                write(r, g);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes one reading as an object to a generator (for hosts that stream many).
     *
     * @throws IOException from the generator
     */
    public void write(SensorReading reading, JsonGenerator g) throws IOException {
        SensorSchema s = reading.schema();
        g.writeStartObject();
        g.writeStringField("device_id", reading.deviceId());
        g.writeStringField("timestamp", IsoInstants.format(reading.timestamp()));
        for (int i = 0; i < s.size(); i++) {
            double v = reading.value(i);
            g.writeFieldName(s.channelName(i));
            if (Double.isNaN(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
        if (!Double.isNaN(reading.healthScore())) {
            g.writeNumberField("health_score", reading.healthScore());
            g.writeStringField("status", reading.status().name());
        }
        g.writeEndObject();
    }

    /**
     * @param json one JSON object
     * @return the validated reading
     * @throws InvalidJsonException     naming the field that is malformed, unknown, missing or mistyped
     * @throws IllegalArgumentException when a value breaks its channel's rules (out of physical range)
     */
    public SensorReading read(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = readingParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidJsonException(null, "expected a JSON object for a reading");
            }
            SensorReading r = readObject(p);
            JsonValues.requireEnd(p);
            return r;
        } catch (JsonProcessingException e) {
            throw JsonValues.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param json a JSON array of reading objects, or a single object
     * @return the validated readings, in order
     * @throws InvalidJsonException naming the element index and field that is wrong
     */
    public List<SensorReading> readAll(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = readingParser(json)) {
            JsonToken first = p.nextToken();
            List<SensorReading> out = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                out.add(readObject(p));
            } else if (first == JsonToken.START_ARRAY) {
                int i = 0;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new InvalidJsonException("[" + i + "]", "element [" + i + "] must be a reading object");
                    }
                    try {
                        out.add(readObject(p));
                    } catch (InvalidJsonException e) {
                        throw new InvalidJsonException("[" + i + "]." + e.field(), "element [" + i + "]: " + e.getMessage(), e);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("element [" + i + "]: " + e.getMessage(), e);
                    }
                }
            } else {
                throw new InvalidJsonException(null, "expected a JSON array of readings or a reading object");
            }
            JsonValues.requireEnd(p);
            return out;
        } catch (JsonProcessingException e) {
            throw JsonValues.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A parser for readings. {@link #readObject} finds repeated fields itself, with the flags it keeps
     * anyway: Jackson's detector fills a hash set per object, a quarter of the MQTT ingest's time.
     */
    private JsonParser readingParser(String json) throws IOException {
        JsonParser p = factory.createParser(json);
        p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return p;
    }

    /** The same error as Jackson's duplicate detection gives, so callers see one message either way. */
    private static InvalidJsonException duplicate(JsonParser p, String field) {
        var loc = p.currentLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return new InvalidJsonException(field, "malformed JSON" + where + ": Duplicate field '" + field + "'");
    }

    private SensorReading readObject(JsonParser p) throws IOException {
        double[] values = new double[schema.size()];
        boolean[] seen = new boolean[schema.size()];
        // device_id, timestamp, health_score, status
        boolean[] seenFixed = new boolean[4];
        Arrays.fill(values, Double.NaN);
        String deviceId = null;
        Instant timestamp = null;
        double health = Double.NaN;
        String status = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new InvalidJsonException(null, "malformed reading object");
            }
            String field = p.currentName();
            int fixed = switch (field) {
                case "device_id" -> 0;
                case "timestamp" -> 1;
                case "health_score" -> 2;
                case "status" -> 3;
                default -> -1;
            };
            if (fixed >= 0) {
                if (seenFixed[fixed]) {
                    throw duplicate(p, field);
                }
                seenFixed[fixed] = true;
            }
            JsonToken v = p.nextToken();
            switch (field) {
                case "device_id" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw new InvalidJsonException(field, "field 'device_id' must be a string, but was " + JsonValues.describe(v));
                    }
                    deviceId = p.getText();
                    try {
                        DeviceIds.requireValid(deviceId);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidJsonException(field, "field 'device_id': " + e.getMessage(), e);
                    }
                }
                case "timestamp" -> timestamp = JsonValues.timestamp(p, v);
                case "health_score" -> {
                    if (v != JsonToken.VALUE_NULL) {
                        health = JsonValues.number(p, v, field);
                        if (!(health >= 0 && health <= 100)) {
                            throw new InvalidJsonException(field, "field 'health_score' must be in [0, 100], but was " + health);
                        }
                    }
                }
                case "status" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        throw new InvalidJsonException(field, "field 'status' must be a string, but was " + JsonValues.describe(v));
                    }
                    status = v == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                default -> {
                    int i = schema.indexOf(field);
                    if (i < 0) {
                        throw new InvalidJsonException(field, "unknown channel '" + field + "' for schema '"
                                + schema.name() + "'; known channels: " + String.join(", ", channelNames()));
                    }
                    if (seen[i]) {
                        throw duplicate(p, field);
                    }
                    seen[i] = true;
                    values[i] = v == JsonToken.VALUE_NULL ? Double.NaN : JsonValues.number(p, v, field);
                }
            }
        }
        if (deviceId == null) {
            throw new InvalidJsonException("device_id", "missing field 'device_id'");
        }
        if (timestamp == null) {
            throw new InvalidJsonException("timestamp", "missing field 'timestamp'");
        }
        if (!Timestamps.isValid(timestamp)) {
            throw new InvalidJsonException("timestamp", "field 'timestamp' " + timestamp + " is outside " + Timestamps.MIN
                    + " .. " + Timestamps.MAX);
        }
        checkStatus(status, health);
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i] && !schema.channel(i).missingAllowed()) {
                throw new InvalidJsonException(schema.channelName(i), "missing channel '" + schema.channelName(i) + "'");
            }
            if (seen[i] && Double.isNaN(values[i]) && !schema.channel(i).missingAllowed()) {
                throw new InvalidJsonException(schema.channelName(i), "channel '" + schema.channelName(i)
                        + "' must not be null: it does not allow missing values");
            }
            String problem = schema.channel(i).checkValue(values[i]);
            if (problem != null) {
                throw new InvalidJsonException(schema.channelName(i), problem);
            }
        }
        return SensorReading.of(deviceId, timestamp, schema, values, health);
    }

    private List<String> channelNames() {
        List<String> names = new ArrayList<>(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            names.add(schema.channelName(i));
        }
        return names;
    }

    /** @return the event as a JSON object: {@code {"device_id","timestamp","type","detail"}} */
    public String write(DeviceEvent event) {
        StringWriter w = new StringWriter(128);
        try (JsonGenerator g = factory.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("device_id", event.deviceId());
            g.writeStringField("timestamp", event.timestamp().toString());
            g.writeStringField("type", event.kind());
            g.writeStringField("detail", event.detail());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * @param json an event object as written by {@link #write(DeviceEvent)}
     * @return the event
     * @throws InvalidJsonException naming the field that is malformed, unknown, missing or mistyped
     */
    public DeviceEvent readEvent(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidJsonException(null, "expected a JSON object for an event");
            }
            String deviceId = null;
            String type = null;
            String detail = null;
            Instant timestamp = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw new InvalidJsonException(null, "malformed event object");
                }
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "timestamp" -> timestamp = JsonValues.timestamp(p, v);
                    case "device_id", "type", "detail" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            throw new InvalidJsonException(field, "field '" + field + "' must be a string, but was " + JsonValues.describe(v));
                        }
                        switch (field) {
                            case "device_id" -> deviceId = p.getText();
                            case "type" -> type = p.getText();
                            default -> detail = p.getText();
                        }
                    }
                    default -> throw new InvalidJsonException(field, "unknown field '" + field
                            + "' in event; known fields: device_id, timestamp, type, detail");
                }
            }
            JsonValues.requireEnd(p);
            for (String[] f : new String[][] {{"device_id", deviceId}, {"type", type}, {"detail", detail}}) {
                if (f[1] == null) {
                    throw new InvalidJsonException(f[0], "missing field '" + f[0] + "'");
                }
            }
            if (timestamp == null) {
                throw new InvalidJsonException("timestamp", "missing field 'timestamp'");
            }
            try {
                return switch (type) {
                    case "failure" -> new FailureEvent(deviceId, timestamp, detail);
                    case "maintenance" -> new MaintenanceEvent(deviceId, timestamp, detail);
                    default -> throw new InvalidJsonException("type",
                            "field 'type' must be 'failure' or 'maintenance', but was '" + type + "'");
                };
            } catch (InvalidJsonException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidJsonException("device_id", e.getMessage(), e);
            }
        } catch (JsonProcessingException e) {
            throw JsonValues.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Status is derived from the health score: a status alone, or one the score contradicts, is refused, never dropped. */
    private static void checkStatus(String status, double health) {
        if (status == null) {
            return;
        }
        if (Double.isNaN(health)) {
            throw new InvalidJsonException("status", "field 'status' is derived from 'health_score' and cannot be sent"
                    + " without it; send health_score, or neither");
        }
        HealthStatus derived = HealthStatus.fromScore(health);
        if (!derived.name().equalsIgnoreCase(status)) {
            throw new InvalidJsonException("status", "field 'status' is '" + JsonValues.abbreviate(status) + "', but health_score "
                    + health + " means '" + derived.name() + "' (status is derived from health_score; it may be left out)");
        }
    }

    /**
     * Parses a timestamp in any of the accepted text forms.
     *
     * @param text ISO-8601 instant, offset date-time or local date-time (UTC)
     * @return the instant
     * @throws InvalidJsonException naming {@code timestamp} when the text is none of them
     */
    public static Instant parseTimestamp(String text) {
        return JsonValues.parseTimestamp(text);
    }
}
