package io.iotpm.api.training;

import io.iotpm.core.Predictor;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.registry.ModelEntry;
import io.iotpm.ml.registry.ModelRegistry;

import java.util.Objects;

/**
 * A {@link ModelTrainer} that stores every model it trains in a {@link ModelRegistry} (with the
 * request's training range and the job's owner) and makes it the active one of its schema, so a model
 * trained through {@code POST /api/model/train} is still there when the server restarts. Wraps
 * another trainer whose models are {@code iotpm-ml}'s ({@link LstmPredictor} or {@link AnomalyDetector}).
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.open(Path.of("models"));
 * IotpmServer.builder()...trainer(RegisteringTrainer.of(LstmTrainer.of(...), registry, "api"))
 *     .predictor(registry.loadActive(schema).orElse(null))
 * }</pre>
 */
public final class RegisteringTrainer implements ModelTrainer {

    private final ModelTrainer inner;
    private final ModelRegistry registry;
    private final String registeredBy;

    private RegisteringTrainer(ModelTrainer inner, ModelRegistry registry, String registeredBy) {
        this.inner = inner;
        this.registry = registry;
        this.registeredBy = registeredBy;
    }

    /**
     * @param inner        trains the models
     * @param registry     where they are stored
     * @param registeredBy recorded as who registered each model (e.g. {@code api})
     * @return the trainer
     * @throws IllegalArgumentException if {@code registeredBy} is blank
     */
    public static RegisteringTrainer of(ModelTrainer inner, ModelRegistry registry, String registeredBy) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(registry, "registry");
        if (registeredBy == null || registeredBy.isBlank()) {
            throw new IllegalArgumentException("registeredBy must not be blank, but was '" + registeredBy + "'");
        }
        return new RegisteringTrainer(inner, registry, registeredBy);
    }

    /**
     * Trains with the wrapped trainer, then registers and activates the model.
     *
     * @throws IllegalStateException if the model is not one the registry stores (then it is closed)
     */
    @Override
    public Predictor train(Request request, Progress progress) throws Exception {
        Predictor p = inner.train(request, progress);
        try {
            ModelRegistry.Registration r = new ModelRegistry.Registration(registeredBy, request.from(), request.to());
            ModelEntry e;
            if (p instanceof LstmPredictor lstm) {
                e = registry.register(lstm, r);
            } else if (p instanceof AnomalyDetector ae) {
                e = registry.register(ae, r);
            } else {
                throw new IllegalStateException("the registry stores iotpm-ml models, but the trainer made a "
                        + p.getClass().getName());
            }
            registry.activate(e.version());
            progress.stage("registered and activated model " + e.version());
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }
}
