package io.iotpm.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads single JSON values for {@link ReadingJson}: timestamps in their accepted forms, finite numbers,
 * the end of a document; and turns what is wrong into an {@link InvalidJsonException} that names the
 * field and says what was found instead.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** See {@link ReadingJson#parseTimestamp(String)}. */
    static Instant parseTimestamp(String text) {
        Instant simple = IsoInstants.parseSimple(text);
        if (simple != null) {
            return simple;
        }
        try {
            if (text.endsWith("Z") || text.endsWith("z")) {
                return Instant.parse(text);
            }
            if (text.length() > 19 && (text.lastIndexOf('+') > 9 || text.lastIndexOf('-') > 9)) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidJsonException("timestamp", "field 'timestamp' must be an ISO-8601 date-time"
                    + " (e.g. 2026-01-01T12:00:00Z) or epoch milliseconds, but was '" + abbreviate(text) + "'", e);
        }
    }

    static Instant timestamp(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return parseTimestamp(p.getText());
        }
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochMilli(p.getLongValue());
        }
        throw new InvalidJsonException("timestamp", "field 'timestamp' must be an ISO-8601 string or epoch"
                + " milliseconds, but was " + describe(v));
    }

    static double number(JsonParser p, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidJsonException(field, "field '" + field + "' must be a number, but was " + describe(v));
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidJsonException(field, "field '" + field + "' must be finite, but was " + p.getText());
        }
        return d;
    }

    static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new InvalidJsonException(null, "unexpected content after the JSON value");
        }
    }

    static InvalidJsonException malformed(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String field = null;
        if (msg != null && msg.startsWith("Duplicate field '")) {
            int end = msg.indexOf('\'', 17);
            field = end > 17 ? msg.substring(17, end) : null;
        }
        return new InvalidJsonException(field, "malformed JSON" + where + ": " + msg, e);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the document";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.name();
        };
    }

    static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
