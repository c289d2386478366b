package io.iotpm.api;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Trains a deliberately tiny real LSTM ({@code iotpm-ml}, DJL PyTorch) for the dashboard's training
 * job: short windows, one small layer, few epochs, so a browser test sees a whole job in seconds.
 * Reports each epoch's losses, then the validation metrics and confusion matrix of the held-out devices.
 */
final class LstmJobTrainer implements ModelTrainer {

    private final SensorSchema schema;

    LstmJobTrainer(SensorSchema schema) {
        this.schema = schema;
    }

    @Override
    public Predictor train(Request request, Progress progress) {
        progress.stage("loading data");
        List<SensorReading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        for (String id : request.deviceIds()) {
            readings.addAll(request.storage().range(id, request.from(), request.to()));
            events.addAll(request.storage().events(id, request.from(), request.to()));
        }
        TrainingSet data = TrainingSet.of(readings, events);
        int epochs = request.epochs() == null ? 3 : request.epochs();
        LstmPredictor lstm = LstmPredictor.builder(schema).sequenceLength(20).stride(10).horizon(120)
                .layers(8).dropout(0).epochs(epochs).batchSize(64).earlyStoppingPatience(epochs).seed(7).build();
        try {
            progress.stage("training on " + data.readingCount() + " readings, " + data.failureCount() + " failures");
            TrainingReport report = lstm.train(data, new TrainingListener() {
                @Override
                public void onEpoch(TrainingReport.Epoch e, int max) {
                    if (progress.cancelled()) {
                        throw new CancellationException("training cancelled");
                    }
                    progress.epoch(e.epoch(), max, e.trainLoss(), e.validationLoss());
                }
            });
            progress.stage("evaluating on held-out devices " + report.validationDevices());
            Map<String, Double> metrics = new LinkedHashMap<>();
            report.validationMetrics().forEach((k, v) -> put(metrics, k, v));
            TrainingSet held = report.validationDevices().isEmpty() ? data : data.devices(report.validationDevices());
            ClassificationMetrics m = lstm.evaluateClassification(held);
            put(metrics, "accuracy", m.accuracy());
            put(metrics, "precision", m.precision());
            put(metrics, "recall", m.recall());
            put(metrics, "f1", m.f1());
            put(metrics, "roc_auc", m.rocAuc());
            put(metrics, "threshold", m.threshold());
            put(metrics, "true_positives", m.truePositives());
            put(metrics, "false_positives", m.falsePositives());
            put(metrics, "true_negatives", m.trueNegatives());
            put(metrics, "false_negatives", m.falseNegatives());
            progress.metrics(metrics);
            return lstm;
        } catch (RuntimeException e) {
            lstm.close();
            throw e;
        }
    }

    /** Undefined ratios (NaN) are left out: JSON has no NaN. */
    private static void put(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }
}
