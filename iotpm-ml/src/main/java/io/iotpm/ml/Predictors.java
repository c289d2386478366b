package io.iotpm.ml;

import io.iotpm.core.SensorSchema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Loads predictors saved by {@link LstmPredictor#save(Path)}. */
public final class Predictors {

    private Predictors() {
    }

    /**
     * Loads a saved model.
     *
     * @param dir the model folder
     * @return a trained predictor; close it to free native memory
     * @throws IOException if a file is missing, truncated, not a model, or of a newer format version
     */
    public static LstmPredictor load(Path dir) throws IOException {
        return ModelFiles.load(Objects.requireNonNull(dir, "dir"), null);
    }

    /**
     * Loads a saved model and checks it was trained on {@code schema}.
     *
     * @param dir    the model folder
     * @param schema the schema the caller's readings have
     * @return a trained predictor
     * @throws IllegalArgumentException if the model's schema differs, naming both
     * @throws IOException              if a file is missing, truncated, not a model, or of a newer format version
     */
    public static LstmPredictor load(Path dir, SensorSchema schema) throws IOException {
        return ModelFiles.load(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(schema, "schema"));
    }
}
