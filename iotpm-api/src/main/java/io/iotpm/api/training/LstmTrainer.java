package io.iotpm.api.training;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Trains {@code iotpm-ml}'s {@link LstmPredictor} for {@code POST /api/model/train}: reads the
 * requested devices' readings and failure/maintenance events from storage, builds a fresh predictor
 * from the template builder (the request's {@code epochs} overrides the template's) and trains it,
 * reporting every epoch, then the model's metrics and, on the devices training held out for
 * validation, its confusion matrix and ROC curve ({@link Progress#classification}). Needs {@code iotpm-ml} on the class path (an optional dependency of
 * {@code iotpm-api}).
 *
 * <pre>{@code
 * IotpmServer.builder()...trainer(LstmTrainer.of(() -> LstmPredictor.builder(schema)
 *         .sequenceLength(60).horizon(10).layers(100, 50).epochs(50).seed(42)))
 * }</pre>
 */
public final class LstmTrainer implements ModelTrainer {

    private final Supplier<LstmPredictor.Builder> template;

    private LstmTrainer(Supplier<LstmPredictor.Builder> template) {
        this.template = template;
    }

    /**
     * @param template gives a configured builder for each job (a fresh one: builders are reusable, but a
     *                 supplier keeps jobs from sharing the request's epoch override)
     * @return the trainer
     */
    public static LstmTrainer of(Supplier<LstmPredictor.Builder> template) {
        return new LstmTrainer(Objects.requireNonNull(template, "template"));
    }

    /** Most ROC points a job reports: plenty for a chart, small for JSON. */
    public static final int ROC_POINTS = 200;

    /**
     * Reports the confusion matrix, ROC curve and metrics of a trained model on the devices its training
     * held out. Without held-out devices nothing is evaluated (scores on the training devices would
     * flatter the model); the stage says so.
     */
    static void evaluate(LstmPredictor lstm, TrainingSet data, TrainingReport report, Progress progress) {
        if (report.validationDevices().isEmpty()) {
            progress.stage("trained; no device was held out for validation, so no confusion matrix or ROC curve");
            return;
        }
        progress.stage("evaluating on held-out devices " + report.validationDevices());
        TrainingSet held = data.devices(report.validationDevices());
        ClassificationMetrics m = heldOut(() -> lstm.evaluateClassification(held), progress);
        // var: inside this class RocPoint names the inherited ModelTrainer.RocPoint, not iotpm-ml's
        var roc = m == null ? null : heldOut(() -> lstm.rocCurve(held, ROC_POINTS), progress);
        if (roc == null) {
            return;
        }
        List<RocPoint> points = new ArrayList<>(roc.size());
        for (var p : roc) {
            points.add(new RocPoint(p.falsePositiveRate(), p.truePositiveRate(), p.threshold()));
        }
        progress.classification(new Classification(m.threshold(), m.truePositives(), m.falsePositives(),
                m.trueNegatives(), m.falseNegatives(), points, m.brierScore(), m.reliability().stream()
                .map(b -> new ReliabilityRow(b.from(), b.to(), b.count(), b.meanPredicted(), b.observedRate()))
                .toList()));
        Map<String, Double> metrics = new LinkedHashMap<>(lstm.metrics());
        put(metrics, "accuracy", m.accuracy());
        put(metrics, "precision", m.precision());
        put(metrics, "recall", m.recall());
        put(metrics, "f1", m.f1());
        put(metrics, "roc_auc", m.rocAuc());
        put(metrics, "pr_auc", m.prAuc());
        put(metrics, "brier", m.brierScore());
        put(metrics, "threshold", m.threshold());
        progress.metrics(metrics);
        progress.stage("evaluated on held-out devices " + report.validationDevices() + ": " + m.count() + " windows");
    }

    /** Runs one evaluation step on held-out data; data it cannot evaluate is reported as the stage, giving null. */
    private static <T> T heldOut(Supplier<T> step, Progress progress) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            progress.stage("trained; held-out devices could not be evaluated: " + e.getMessage());
            return null;
        }
    }

    /** Undefined ratios (NaN) are left out: JSON has no NaN. */
    private static void put(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        } else {
            metrics.remove(name);
        }
    }

    @Override
    public Predictor train(Request request, Progress progress) throws Exception {
        progress.stage("loading readings and events of " + request.deviceIds().size() + " device(s)");
        List<SensorReading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        for (String id : request.deviceIds()) {
            readings.addAll(request.storage().range(id, request.from(), request.to()));
            events.addAll(request.storage().events(id, request.from(), request.to()));
            if (progress.cancelled()) {
                throw new InterruptedException("cancelled while loading data");
            }
        }
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("no readings in the requested devices and period");
        }
        TrainingSet data = TrainingSet.of(readings, events);
        LstmPredictor.Builder b = template.get();
        if (request.epochs() != null) {
            b.epochs(request.epochs());
        }
        LstmPredictor lstm = b.build();
        try {
            progress.stage("training on " + data.readingCount() + " readings, " + data.failureCount() + " failure(s)");
            TrainingReport report = lstm.train(data, new TrainingListener() {
                @Override
                public void onEpoch(TrainingReport.Epoch stats, int epochs) {
                    progress.epoch(stats.epoch(), epochs, stats.trainLoss(), stats.validationLoss());
                    if (progress.cancelled()) {
                        throw new CancellationException("training cancelled at epoch " + stats.epoch());
                    }
                }
            });
            progress.stage("trained: best epoch " + report.bestEpoch() + " of " + report.epochs().size());
            progress.metrics(lstm.metrics());
            evaluate(lstm, data, report, progress);
            return lstm;
        } catch (CancellationException e) {
            lstm.close();
            throw new InterruptedException(e.getMessage());
        } catch (Exception | Error e) {
            lstm.close();
            throw e;
        }
    }
}
