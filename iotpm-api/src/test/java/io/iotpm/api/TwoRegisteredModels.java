package io.iotpm.api;

import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.registry.ModelRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A folder registry holding two tiny trained LSTMs (the first active, registered by alice, the second by
 * bob), 12 hours of their fleet's readings in a store, and a catalog over the registry for a server.
 *
 * @param registry the registry
 * @param catalog  a {@link RegisteringTrainer} whose training is not used, only its catalog
 * @param first    version of the first (active) model
 * @param second   version of the second
 */
record TwoRegisteredModels(ModelRegistry registry, RegisteringTrainer catalog, String first, String second) {

    static TwoRegisteredModels create(Path dir, StorageBackend store) throws IOException {
        return create(dir, store, null, null);
    }

    /**
     * @param secondFrom start of the training range recorded for the second model, or null
     * @param secondTo   its end, or null
     */
    static TwoRegisteredModels create(Path dir, StorageBackend store, Instant secondFrom, Instant secondTo)
            throws IOException {
        System.setProperty("ai.djl.offline", "true");
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(2).idPrefix("PUMP_").seed(5).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        ModelRegistry registry = ModelRegistry.open(dir);
        store.appendAll(fleet.history(Duration.ofHours(12)).toList());
        TrainingSet data = TrainingSet.of(fleet.history(Duration.ofHours(12)).toList(), fleet.events());
        try (LstmPredictor a = LstmPredictor.builder(schema).sequenceLength(20).stride(10).layers(4).epochs(1)
                .seed(1).build();
             LstmPredictor b = LstmPredictor.builder(schema).sequenceLength(20).stride(10).layers(4).epochs(1)
                     .seed(2).build()) {
            a.train(data);
            b.train(data);
            String first = registry.register(a, new ModelRegistry.Registration("alice", null, null)).version();
            String second = registry.register(b, new ModelRegistry.Registration("bob", secondFrom, secondTo)).version();
            RegisteringTrainer catalog = RegisteringTrainer.of((request, progress) -> {
                throw new IllegalStateException("not used");
            }, registry, "api", schema);
            return new TwoRegisteredModels(registry, catalog, first, second);
        }
    }
}
