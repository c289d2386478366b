package io.iotpm.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.json.InvalidJsonException;
import io.iotpm.core.json.ReadingJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Predictions as JSON with the names the REST API uses ({@code device_id},
 * {@code maintenance_probability}, {@code risk_level}, {@code maintenance_needed},
 * {@code remaining_useful_life} (null when not estimated), {@code model_version}), plus the
 * per-channel {@code contributions}.
 */
final class PredictionCodec implements MessageCodec<Prediction> {

    private final JsonFactory factory = new JsonFactory();

    @Override
    public byte[] encode(Prediction p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("device_id", p.deviceId());
            g.writeStringField("timestamp", p.timestamp().toString());
            g.writeNumberField("maintenance_probability", p.failureProbability());
            g.writeStringField("risk_level", p.riskLevel().name());
            g.writeBooleanField("maintenance_needed", p.maintenanceNeeded());
            g.writeFieldName("remaining_useful_life");
            if (p.hasRemainingUsefulLife()) {
                g.writeNumber(p.remainingUsefulLife());
            } else {
                g.writeNull();
            }
            g.writeStringField("model_version", p.modelVersion());
            g.writeObjectFieldStart("contributions");
            for (Map.Entry<String, Double> e : p.contributions().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public Prediction decode(byte[] value) {
        String device = null;
        Instant ts = null;
        double probability = Double.NaN;
        RiskLevel risk = null;
        boolean needed = false;
        double rul = Double.NaN;
        String model = null;
        Map<String, Double> contributions = new LinkedHashMap<>();
        try (JsonParser p = factory.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidJsonException(null, "expected a JSON object for a prediction");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "device_id" -> device = p.getValueAsString();
                    case "timestamp" -> ts = ReadingJson.parseTimestamp(p.getValueAsString());
                    case "maintenance_probability" -> probability = p.getValueAsDouble(Double.NaN);
                    case "risk_level" -> risk = RiskLevel.valueOf(p.getValueAsString());
                    case "maintenance_needed" -> needed = p.getValueAsBoolean();
                    case "remaining_useful_life" -> rul = t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue();
                    case "model_version" -> model = p.getValueAsString();
                    case "contributions" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String channel = p.currentName();
                            p.nextToken();
                            contributions.put(channel, p.getDoubleValue());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(null, "malformed prediction JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (device == null || ts == null || risk == null || model == null) {
            throw new InvalidJsonException(null, "prediction needs device_id, timestamp, risk_level and model_version");
        }
        return new Prediction(device, ts, probability, risk, needed, rul, model, contributions);
    }
}
