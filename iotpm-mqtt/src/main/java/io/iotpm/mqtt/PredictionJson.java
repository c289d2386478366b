package io.iotpm.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotpm.core.Prediction;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A prediction as the REST API shapes it ({@code POST /api/predict/{id}} of iotpm-api), field for
 * field, so an HMI reads MQTT and HTTP alike: {@code device_id, timestamp, maintenance_probability,
 * risk_level, maintenance_needed, remaining_useful_life, health_score, status, model_version}. The
 * API fills {@code health_score} and {@code status} from the latest stored reading; here they are
 * {@code null} (a prediction does not carry them).
 */
final class PredictionJson {

    private static final JsonFactory JSON = new JsonFactory();

    private PredictionJson() {
    }

    static String write(Prediction p) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
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
            g.writeNullField("health_score");
            g.writeNullField("status");
            g.writeStringField("model_version", p.modelVersion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
