package io.iotpm.api.training;

import io.iotpm.core.Predictor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server's view of a model registry: the stored models of the server's schema, which one is
 * active, and switching it. A {@link ModelTrainer} that also implements this interface (as
 * {@link RegisteringTrainer} does) gets the routes {@code GET /api/models} (viewer),
 * {@code POST /api/models/{id}/activate} (id: the model version) and {@code POST /api/models/rollback} (admin); a
 * switch makes the server predict with the newly active model at once.
 */
public interface ModelCatalog {

    /**
     * One stored model.
     *
     * @param version      the model version, as predictions carry it
     * @param kind         the model kind (e.g. {@code iotpm-lstm})
     * @param schema       the schema name
     * @param trainingFrom start of its training data, or null
     * @param trainingTo   end of its training data, or null
     * @param metrics      its validation metrics
     * @param registeredBy who trained or imported it
     * @param registeredAt when
     * @param active       whether it is the active model of its schema
     */
    record Entry(String version, String kind, String schema, Instant trainingFrom, Instant trainingTo,
                 Map<String, Double> metrics, String registeredBy, Instant registeredAt, boolean active) {
        /** Copies the metrics. */
        public Entry {
            Objects.requireNonNull(version, "version");
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * A model made active and loaded.
     *
     * @param entry     its entry
     * @param predictor the loaded model; the server owns and closes it
     */
    record Activation(Entry entry, Predictor predictor) {
    }

    /** @return the stored models of the server's schema, oldest first */
    List<Entry> models();

    /**
     * Makes a stored model the active one and loads it.
     *
     * @param version its version
     * @return the activation
     * @throws IllegalArgumentException if no such model is stored for the server's schema
     * @throws Exception                if it cannot be loaded
     */
    Activation activate(String version) throws Exception;

    /**
     * Re-activates the model active before the current one, and loads it.
     *
     * @return the activation
     * @throws IllegalStateException if there is no earlier model
     * @throws Exception             if it cannot be loaded
     */
    Activation rollback() throws Exception;
}
