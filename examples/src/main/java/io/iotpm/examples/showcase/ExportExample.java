package io.iotpm.examples.showcase;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.tensorflow.SavedModelExporter;
import io.iotpm.ml.tensorflow.SavedModelPredictor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Export: an LSTM trained on DJL's PyTorch engine is written as a TensorFlow SavedModel (a
 * {@code serving_default} signature plus {@code model.json}), loaded back through DJL's TensorFlow
 * engine as a {@code Predictor}, and both engines predict the same windows. The TensorFlow natives
 * come from the class path ({@code tensorflow-core-native}), so nothing downloads.
 */
public final class ExportExample {

    private static final int WINDOW = 20;

    private ExportExample() {
    }

    /**
     * How the two engines compared.
     *
     * @param windows       windows both engines predicted
     * @param maxDifference the largest |PyTorch - TensorFlow| failure probability
     * @param served        the TensorFlow engine's predictions
     */
    public record Result(int windows, double maxDifference, List<Prediction> served) {
    }

    /**
     * Trains a tiny LSTM, exports it to {@code dir}, serves it back and compares.
     *
     * @param seed seed of the simulation and the training
     * @param dir  the SavedModel folder to write (must not exist or be empty)
     * @return the comparison
     * @throws IOException if the export or the load fails
     */
    public static Result run(long seed, Path dir) throws IOException {
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(4).idPrefix("PUMP_").seed(seed).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        List<SensorReading> history = fleet.history(Duration.ofHours(24)).toList();
        try (LstmPredictor lstm = LstmPredictor.builder(schema).sequenceLength(WINDOW).horizon(60).stride(10)
                .layers(8).epochs(1).seed(seed).build()) {
            lstm.train(TrainingSet.of(history, fleet.events()));

            SavedModelExporter.export(lstm, dir);   // weights, feature pipeline, scaler and thresholds travel with it

            List<DeviceWindow> windows = new ArrayList<>();
            for (String id : fleet.deviceIds()) {
                List<SensorReading> device = history.stream().filter(r -> r.deviceId().equals(id)).toList();
                for (int end = WINDOW; end <= device.size(); end += 120) {
                    windows.add(new DeviceWindow(id, device.subList(end - WINDOW, end)));
                }
            }
            List<Prediction> pytorch = lstm.predictBatch(windows);
            try (SavedModelPredictor tensorflow = SavedModelPredictor.load(dir)) {
                List<Prediction> served = tensorflow.predictBatch(windows);
                double max = 0;
                for (int i = 0; i < windows.size(); i++) {
                    max = Math.max(max, Math.abs(served.get(i).failureProbability() - pytorch.get(i).failureProbability()));
                }
                return new Result(windows.size(), max, served);
            }
        }
    }

    /**
     * Exports to a folder and prints how closely the engines agree.
     *
     * @param args optional SavedModel folder (default {@code target/example-savedmodel})
     * @throws IOException if the export or the load fails
     */
    public static void main(String[] args) throws IOException {
        Result r = run(42, Path.of(args.length > 0 ? args[0] : "target/example-savedmodel"));
        System.out.printf("%d windows, max |PyTorch - TensorFlow| = %.2e%n", r.windows(), r.maxDifference());
    }
}
