package io.iotpm.examples.showcase;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Predictors;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Train: an LSTM learns "a failure within the next {@code horizon} steps" from simulated motors
 * (labels come from the failure events, never from a sensor column), is evaluated on motors it
 * never saw, saved, loaded back and asked for a prediction. DJL's PyTorch engine does the work; its
 * natives come from the class path, so nothing downloads.
 */
public final class TrainExample {

    private TrainExample() {
    }

    /**
     * What training produced.
     *
     * @param report     per-epoch losses, best epoch, decision threshold
     * @param unseen     the metrics on the held-out motors' windows
     * @param prediction the saved-and-loaded model's prediction for the last window of the first motor
     * @param same       whether the original model predicted the same probability for that window
     */
    public record Result(TrainingReport report, ClassificationMetrics unseen, Prediction prediction, boolean same) {
    }

    /**
     * Trains a tiny LSTM (seconds, not minutes) on {@code devices} motors, the last two held out.
     *
     * @param devices how many motors to simulate, at least 4
     * @param epochs  training epochs
     * @param seed    seed of the simulation and of the training
     * @param dir     where to save the model
     * @return the report, the held-out metrics and a prediction of the reloaded model
     * @throws IOException if saving or loading fails
     */
    public static Result run(int devices, int epochs, long seed, Path dir) throws IOException {
        if (devices < 4) {
            throw new IllegalArgumentException("devices must be >= 4 (training, validation, 2 unseen), but was " + devices);
        }
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed).failureProbability(0.5)
                .interval(Duration.ofMinutes(10)).start(Instant.parse("2026-01-01T00:00:00Z")).build();
        List<SensorReading> readings = fleet.history(Duration.ofDays(4)).toList();
        TrainingSet all = TrainingSet.of(readings, fleet.events());
        List<String> ids = all.deviceIds();
        TrainingSet train = all.devices(ids.subList(0, ids.size() - 2));   // split by device, never by row
        TrainingSet unseen = all.devices(ids.subList(ids.size() - 2, ids.size()));

        try (LstmPredictor lstm = LstmPredictor.builder(schema)
                .sequenceLength(24).horizon(18).stride(4)
                .layers(16, 8).dropout(0.2).epochs(epochs).batchSize(64).earlyStoppingPatience(3)
                .seed(seed)
                .build()) {
            TrainingReport report = lstm.train(train);
            ClassificationMetrics metrics = lstm.evaluateClassification(unseen);

            List<SensorReading> first = readings.stream().filter(r -> r.deviceId().equals(ids.get(0))).toList();
            DeviceWindow window = new DeviceWindow(ids.get(0), first.subList(first.size() - 24, first.size()));
            Prediction original = lstm.predict(window.deviceId(), window.readings());

            lstm.save(dir);                                    // model.params + model.json (schema, scaler, thresholds)
            try (LstmPredictor loaded = Predictors.load(dir, schema)) {
                Prediction again = loaded.predict(window.deviceId(), window.readings());
                return new Result(report, metrics, again,
                        Math.abs(again.failureProbability() - original.failureProbability()) < 1e-6);
            }
        }
    }

    /**
     * Trains on six motors and prints the outcome.
     *
     * @param args optional model folder (default {@code target/example-model})
     * @throws IOException if saving or loading fails
     */
    public static void main(String[] args) throws IOException {
        Result r = run(6, 5, 42, Path.of(args.length > 0 ? args[0] : "target/example-model"));
        System.out.println("best epoch " + r.report().bestEpoch() + ", unseen F1 " + r.unseen().f1()
                + ", prediction " + r.prediction());
    }
}
