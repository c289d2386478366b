package io.iotpm.ml;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What training did: per-epoch losses and validation metric, the epoch whose weights were kept, and
 * the time it took.
 *
 * @param epochs             one entry per epoch run (early stopping may end before the configured count)
 * @param bestEpoch          1-based epoch whose weights the model kept (lowest validation loss)
 * @param duration           wall time of {@code train}
 * @param trainWindows       training windows
 * @param validationWindows  validation windows
 * @param trainDevices       devices used for training
 * @param validationDevices  devices held out for validation
 * @param threshold          decision threshold chosen on validation (classification), or the fixed one
 * @param validationMetrics  metrics of the kept model on the validation devices, by name
 *                           ({@code f1}, {@code roc_auc}, ... or {@code rmse}, {@code mae}, ...)
 */
public record TrainingReport(List<Epoch> epochs, int bestEpoch, Duration duration, int trainWindows,
                             int validationWindows, List<String> trainDevices, List<String> validationDevices,
                             double threshold, Map<String, Double> validationMetrics) {

    /** Copies the lists. */
    public TrainingReport {
        epochs = List.copyOf(epochs);
        trainDevices = List.copyOf(trainDevices);
        validationDevices = List.copyOf(validationDevices);
        validationMetrics = Map.copyOf(validationMetrics);
    }

    /**
     * One epoch.
     *
     * @param epoch            1-based
     * @param trainLoss        mean training loss (with dropout and class weights)
     * @param validationLoss   mean validation loss (NaN without validation devices)
     * @param validationMetric ROC-AUC (classification) or RMSE in steps (regression) on validation
     * @param learningRate     learning rate used in the epoch
     * @param duration         wall time of the epoch
     */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double validationMetric,
                        double learningRate, Duration duration) {
    }
}
