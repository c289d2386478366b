package io.iotpm.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The API's one strict Jackson mapper: snake_case names, unknown and duplicate fields rejected, no
 * coercion of strings to numbers or numbers to booleans, nulls where a primitive belongs rejected.
 * Request errors become {@link ApiException}s naming the JSON path of the bad field.
 */
public final class Json {

    private static final int MAX_DEPTH = 16;
    private static final int MAX_NUMBER_CHARS = 64;
    private static final int MAX_STRING_CHARS = 1 << 20;

    /** The strict mapper; share it, never reconfigure it. */
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_CHARS).maxStringLength(MAX_STRING_CHARS)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonMapper m = JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * Reads a request body into {@code type}.
     *
     * @throws ApiException 400 naming the field when the body is malformed, mistyped or has unknown fields
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest(null, "request body must be a JSON object, but was null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw ApiException.badRequest(field, "unknown field '" + field + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw ApiException.badRequest(null, "unreadable request body");
        }
    }

    /**
     * Jackson's messages name its classes, Java types and configuration getters; a client sees its own
     * terms: the JSON path, what JSON type belongs there, or where the text stops being JSON.
     */
    private static ApiException translate(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof StreamConstraintsException) {
                return ApiException.badRequest(null, "request body exceeds a JSON limit: numbers of at most "
                        + MAX_NUMBER_CHARS + " characters, strings of at most " + MAX_STRING_CHARS
                        + " characters, at most " + MAX_DEPTH + " levels of nesting");
            }
        }
        if (e instanceof JsonMappingException m) {
            String field = path(m);
            String where = field == null ? "request body" : "field '" + field + "'";
            if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                return ApiException.badRequest(field, where + " must be " + expected(mi.getTargetType()));
            }
            return ApiException.badRequest(field, where + " is not valid: " + clean(m.getOriginalMessage()));
        }
        String msg = e.getOriginalMessage();
        String field = null;
        if (msg != null && msg.startsWith("Duplicate field '")) {
            int end = msg.indexOf('\'', 17);
            field = end > 17 ? msg.substring(17, end) : null;
        }
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return ApiException.badRequest(field, "malformed JSON" + where + ": " + clean(msg));
    }

    /** @return the JSON a Java target type is read from, in a client's words */
    private static String expected(Class<?> type) {
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()
                    .toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** @return JSON bytes of a response value */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    /**
     * Keeps the first line of a parser message and drops what names Jackson or Java: anything in
     * backquotes (types, tokens, configuration getters) and parenthesised "from ..." notes.
     */
    private static String clean(String msg) {
        if (msg == null) {
            return "invalid value";
        }
        int nl = msg.indexOf('\n');
        String m = nl >= 0 ? msg.substring(0, nl) : msg;
        m = m.replaceAll("\\s*\\([^()]*`[^()]*\\)", "").replaceAll("`[^`]*`", "value")
                .replaceAll("(?i)jackson|com\\.fasterxml\\S*|java\\.\\S*", "");
        return m.isBlank() ? "invalid value" : m.strip();
    }
}
