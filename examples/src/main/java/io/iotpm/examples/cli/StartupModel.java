package io.iotpm.examples.cli;

import io.iotpm.api.training.ModelTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.ml.registry.ModelEntry;
import io.iotpm.ml.registry.ModelRegistry;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The model {@code ./iotpm api} starts with: the registry's active one for the schema, or, on the
 * first start (an empty registry), a small one trained on the stored history and registered, so a
 * fresh server predicts at once and a restarted one predicts with the model it had.
 */
final class StartupModel {

    /** Epochs of the first model: a usable start in well under a minute, not the best model. */
    static final int FIRST_EPOCHS = 3;

    private StartupModel() {
    }

    static Predictor load(ModelRegistry registry, ModelTrainer registering, SensorSchema schema, StorageBackend store,
                          List<String> devices, Instant from, Instant to, PrintStream out) throws Exception {
        Predictor active = registry.loadActive(schema).orElse(null);
        if (active != null) {
            ModelEntry e = registry.active(schema.name()).orElseThrow();
            out.println("  model:    " + e.version() + " (" + e.kind() + ", registered by " + e.registeredBy() + " at "
                    + e.registeredAt() + ") from the registry");
            return active;
        }
        out.println("  model:    none registered yet; training a first one (" + FIRST_EPOCHS + " epochs) ...");
        Predictor p = registering.train(new ModelTrainer.Request(store, devices, from, to, FIRST_EPOCHS),
                new ModelTrainer.Progress() {
                    @Override
                    public void epoch(int epoch, int epochs, double trainLoss, double validationLoss) {
                    }

                    @Override
                    public void stage(String message) {
                    }

                    @Override
                    public void metrics(Map<String, Double> metrics) {
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        out.println("  model:    " + registry.active(schema.name()).orElseThrow().version() + " trained and registered");
        return p;
    }
}
