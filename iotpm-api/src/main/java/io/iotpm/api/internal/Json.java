package io.iotpm.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
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

    /** The strict mapper; share it, never reconfigure it. */
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16).maxNumberLength(64).maxStringLength(1 << 20).build())
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
        } catch (JsonMappingException e) {
            String field = path(e);
            if (field == null && e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw ApiException.badRequest(field, (field == null ? "" : "field '" + field + "': ")
                    + clean(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            String field = null;
            if (msg != null && msg.startsWith("Duplicate field '")) {
                int end = msg.indexOf('\'', 17);
                field = end > 17 ? msg.substring(17, end) : null;
            }
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw ApiException.badRequest(field, "malformed JSON" + where + ": " + clean(msg));
        } catch (IOException e) {
            throw ApiException.badRequest(null, "unreadable request body");
        }
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

    /** Jackson's messages name Java classes; clients should see JSON terms only. */
    private static String clean(String msg) {
        if (msg == null) {
            return "invalid value";
        }
        String m = msg.replaceAll("`?java\\.lang\\.String`?", "string")
                .replaceAll("`?(int|long|double|java\\.lang\\.(Integer|Long|Double))`?", "number")
                .replaceAll("`?(boolean|java\\.lang\\.Boolean)`?", "boolean")
                .replaceAll("`?io\\.iotpm\\.[A-Za-z0-9_.$]+`?", "object")
                .replaceAll("`?java\\.util\\.[A-Za-z0-9_.$<>]+`?", "array");
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }
}
