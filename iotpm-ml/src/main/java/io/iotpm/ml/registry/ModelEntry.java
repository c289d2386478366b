package io.iotpm.ml.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One registered model.
 *
 * @param version      the model's own version ({@code lstm-…}, {@code ae-…}), unique in the registry
 * @param kind         the model folder's kind: {@code iotpm-lstm} or {@code iotpm-lstm-autoencoder}
 * @param schema       name of the schema the model was trained on
 * @param trainingFrom start of the training data, or null when not told
 * @param trainingTo   end of the training data, or null when not told
 * @param metrics      the model's validation metrics, by name
 * @param registeredBy who trained or imported it
 * @param registeredAt when it was registered
 */
public record ModelEntry(String version, String kind, String schema, Instant trainingFrom, Instant trainingTo,
                         Map<String, Double> metrics, String registeredBy, Instant registeredAt) {

    /** Copies the metrics; checks the required fields. */
    public ModelEntry {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(registeredBy, "registeredBy");
        Objects.requireNonNull(registeredAt, "registeredAt");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
