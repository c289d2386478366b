package io.iotpm.api.training;

import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.registry.ModelEntry;
import io.iotpm.ml.registry.ModelRegistry;

import java.util.List;
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
public final class RegisteringTrainer implements ModelTrainer, ModelCatalog {

    private final ModelTrainer inner;
    private final ModelRegistry registry;
    private final String registeredBy;
    private final SensorSchema schema;

    private RegisteringTrainer(ModelTrainer inner, ModelRegistry registry, String registeredBy, SensorSchema schema) {
        this.inner = inner;
        this.registry = registry;
        this.registeredBy = registeredBy;
        this.schema = schema;
    }

    /**
     * A trainer for the industrial-motor schema; see {@link #of(ModelTrainer, ModelRegistry, String, SensorSchema)}.
     *
     * @param inner        trains the models
     * @param registry     where they are stored
     * @param registeredBy recorded as who registered each model (e.g. {@code api})
     * @return the trainer
     * @throws IllegalArgumentException if {@code registeredBy} is blank
     */
    public static RegisteringTrainer of(ModelTrainer inner, ModelRegistry registry, String registeredBy) {
        return of(inner, registry, registeredBy, SensorSchema.industrialMotor());
    }

    /**
     * @param inner        trains the models
     * @param registry     where they are stored
     * @param registeredBy recorded as who registered each model (e.g. {@code api})
     * @param schema       the server's schema: the catalog lists, activates and loads its models only
     * @return the trainer
     * @throws IllegalArgumentException if {@code registeredBy} is blank
     */
    public static RegisteringTrainer of(ModelTrainer inner, ModelRegistry registry, String registeredBy,
                                        SensorSchema schema) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(schema, "schema");
        if (registeredBy == null || registeredBy.isBlank()) {
            throw new IllegalArgumentException("registeredBy must not be blank, but was '" + registeredBy + "'");
        }
        return new RegisteringTrainer(inner, registry, registeredBy, schema);
    }

    @Override
    public List<Entry> models() {
        String active = registry.active(schema.name()).map(ModelEntry::version).orElse(null);
        return registry.list().stream().filter(e -> e.schema().equals(schema.name())).map(e -> new Entry(e.version(),
                e.kind(), e.schema(), e.trainingFrom(), e.trainingTo(), e.metrics(), e.registeredBy(), e.registeredAt(),
                e.version().equals(active))).toList();
    }

    @Override
    public Activation activate(String version) throws Exception {
        if (!registry.entry(version).schema().equals(schema.name())) {
            throw new IllegalArgumentException("model '" + version + "' was trained on schema '"
                    + registry.entry(version).schema() + "', not the server's '" + schema.name() + "'");
        }
        Predictor p = registry.load(version, schema);
        registry.activate(version);
        return new Activation(find(version), p);
    }

    @Override
    public Activation rollback() throws Exception {
        ModelEntry e = registry.rollback(schema.name());
        return new Activation(find(e.version()), registry.load(e.version(), schema));
    }

    private Entry find(String version) {
        return models().stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow();
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
