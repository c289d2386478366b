package io.iotpm.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;

/**
 * The JSON form of a {@link SensorSchema} that persistent stores keep beside their data, so that
 * reads return readings with exactly the schema they were written with (names, units, ranges).
 */
public final class SchemaJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaJson() {
    }

    /** @return the schema as one line of JSON */
    public static String write(SensorSchema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", schema.name());
        ArrayNode channels = root.putArray("channels");
        for (Channel c : schema.channels()) {
            channels.addObject().put("name", c.name()).put("unit", c.unit()).put("nominal", c.nominal())
                    .put("normalMin", c.normalMin()).put("normalMax", c.normalMax())
                    .put("physicalMin", c.physicalMin()).put("physicalMax", c.physicalMax())
                    .put("missingAllowed", c.missingAllowed());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param json  what {@link #write(SensorSchema)} wrote
     * @param where the file or table it came from, for the message
     * @return the schema
     * @throws IllegalArgumentException naming {@code where} when the JSON is not a valid schema
     */
    public static SensorSchema read(String json, String where) {
        try {
            JsonNode root = MAPPER.readTree(json);
            SensorSchema.Builder b = SensorSchema.builder(text(root, "name"));
            for (JsonNode c : root.required("channels")) {
                b.channel(new Channel(text(c, "name"), text(c, "unit"), num(c, "nominal"), num(c, "normalMin"),
                        num(c, "normalMax"), num(c, "physicalMin"), num(c, "physicalMax"),
                        c.required("missingAllowed").asBoolean()));
            }
            return b.build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("stored sensor schema in " + where + " is not valid: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.required(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, but was " + v);
        }
        return v.asText();
    }

    private static double num(JsonNode n, String field) {
        JsonNode v = n.required(field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number, but was " + v);
        }
        return v.doubleValue();
    }
}
