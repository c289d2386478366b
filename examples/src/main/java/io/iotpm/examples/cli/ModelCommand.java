package io.iotpm.examples.cli;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Predictors;
import io.iotpm.ml.ReliabilityBin;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code ./iotpm model}: the original system's {@code main_demo.py model} step. Simulates a fleet
 * with failures, trains the LSTM on most devices, evaluates it on devices it never saw, saves it,
 * loads it back and predicts for every device. The defaults (90 days, 30 epochs at learning rate
 * 0.003, patience 8) were chosen on the validation devices of three simulation seeds; the iotpm-ml
 * README's "Simulated fleet" lists them and the variants that lost.
 */
@Command(name = "model", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "train the LSTM on a simulated fleet, evaluate on unseen devices, save")
final class ModelCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--devices", defaultValue = "10", description = "motors to simulate, at least 3")
    private int devices;

    @Option(names = "--days", defaultValue = "90", description = "days of history")
    private int days;

    @Option(names = "--epochs", defaultValue = "30", description = "training epochs (early stopping may end sooner)")
    private int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the simulation and the training")
    private long seed;

    @Option(names = "--out", defaultValue = "target/iotpm-model", paramLabel = "DIR", description = "model folder")
    private Path dir;

    @Option(names = "--calibration", defaultValue = "platt",
            description = "platt or none: Platt scaling of the probability on the validation devices")
    private String calibration;

    @Option(names = "--window", defaultValue = "36", description = "readings per window (10-minute steps)")
    private int window;

    @Option(names = "--horizon", defaultValue = "36", description = "label: a failure within this many steps")
    private int horizon;

    @Option(names = "--layers", defaultValue = "32,16", split = ",", description = "LSTM layer sizes")
    private int[] layers;

    @Option(names = "--rolling", defaultValue = "6", description = "rolling mean/std window in steps, 0 for none")
    private int rolling;

    @Option(names = "--slope", defaultValue = "6", description = "slope window in steps, 0 for none")
    private int slope;

    @Option(names = "--stride", defaultValue = "3", description = "steps between training windows")
    private int stride;

    @Option(names = "--patience", defaultValue = "8", description = "early-stopping patience in epochs")
    private int patience;

    @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam's initial learning rate")
    private double learningRate;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        MlSupport.quietOffline();
        Settings s = new Settings(devices, days, epochs, seed, 10, window, horizon, layers, stride, rolling, slope,
                patience, learningRate);
        try (LstmPredictor lstm = trainAndEvaluate(s, out, true, MlSupport.calibration(calibration))) {
            lstm.save(dir);
            out.println("saved to " + dir.toAbsolutePath());
            try (LstmPredictor loaded = Predictors.load(dir, SensorSchema.industrialMotor())) {
                out.println("loaded " + loaded.version() + " back from " + dir.resolve("model.json")
                        + " (threshold " + String.format(Locale.ROOT, "%.2f", loaded.threshold()) + ", validation "
                        + loaded.metrics() + ")");
            }
        }
        return 0;
    }

    /** What to simulate and how big a model to train. */
    record Settings(int devices, int days, int epochs, long seed, int intervalMinutes, int sequenceLength,
                    int horizon, int[] layers, int stride, int rolling, int slope, int patience,
                    double learningRate) {
    }

    /**
     * Simulates, trains on all but the last {@code max(2, devices / 5)} devices, evaluates on those,
     * prints the predictions for every device, and returns the trained predictor.
     */
    static LstmPredictor trainAndEvaluate(Settings s, PrintStream out, boolean verbose) {
        return trainAndEvaluate(s, out, verbose, LstmPredictor.Calibration.PLATT);
    }

    /** As {@link #trainAndEvaluate(Settings, PrintStream, boolean)} with a chosen calibration. */
    static LstmPredictor trainAndEvaluate(Settings s, PrintStream out, boolean verbose,
                                          LstmPredictor.Calibration calibration) {
        if (s.devices() < 3) {
            throw new IllegalArgumentException("--devices must be >= 3 (training, validation and unseen test devices), but was "
                    + s.devices());
        }
        // Settings first: a bad option fails before the simulation, naming the value.
        LstmPredictor.Builder builder = LstmPredictor.builder(SensorSchema.industrialMotor())
                .sequenceLength(s.sequenceLength()).horizon(s.horizon()).stride(s.stride())
                .layers(s.layers()).dropout(0.2).epochs(s.epochs()).batchSize(128).earlyStoppingPatience(s.patience())
                .optimizer(LstmPredictor.OptimizerType.ADAM, s.learningRate())
                .rollingFeatures(s.rolling()).slopeFeatures(s.slope()).seed(s.seed()).calibration(calibration);
        Duration interval = Duration.ofMinutes(s.intervalMinutes());
        Instant end = Instant.parse("2025-06-01T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(s.devices()).idPrefix("PUMP_").seed(s.seed()).failureProbability(0.3)
                .interval(interval).start(end.minus(Duration.ofDays(s.days()))).build();
        List<SensorReading> readings = fleet.history(Duration.ofDays(s.days())).toList();
        TrainingSet all = TrainingSet.of(readings, fleet.events());
        List<String> ids = all.deviceIds();
        int unseen = Math.max(2, s.devices() / 5);
        TrainingSet train = all.devices(ids.subList(0, ids.size() - unseen));
        TrainingSet test = all.devices(ids.subList(ids.size() - unseen, ids.size()));
        out.printf(Locale.ROOT, "simulated %d devices x %d days at %d-minute steps: %d readings, %d failures; "
                        + "training on %d devices, testing on %d unseen%n",
                s.devices(), s.days(), s.intervalMinutes(), readings.size(), all.failureCount(),
                train.deviceIds().size(), test.deviceIds().size());
        LstmPredictor lstm = builder.build();
        try {
            TrainingReport report = lstm.train(train, verbose ? progress(out) : TrainingListener.NONE);
            out.printf(Locale.ROOT, "trained in %.1f s: %d windows, best epoch %d of %d, threshold %.2f (best F1 on validation devices %s)%n",
                    report.duration().toMillis() / 1000.0, report.trainWindows(), report.bestEpoch(),
                    report.epochs().size(), report.threshold(), report.validationDevices());
            Map<String, Double> v = lstm.metrics();
            out.printf(Locale.ROOT, "validation devices: F1 %.3f  ROC-AUC %.3f  PR-AUC %.3f  Brier %.4f%n",
                    v.getOrDefault("f1", Double.NaN), v.getOrDefault("roc_auc", Double.NaN),
                    v.getOrDefault("pr_auc", Double.NaN), v.getOrDefault("brier", Double.NaN));
            ClassificationMetrics m = lstm.evaluateClassification(test);
            out.printf(Locale.ROOT, "unseen devices %s, %d windows, failure within %d steps (%d min):%n"
                            + "  accuracy %.3f  precision %.3f  recall %.3f  F1 %.3f  ROC-AUC %.3f  PR-AUC %.3f  Brier %.4f%n"
                            + "  confusion [[TN %d, FP %d], [FN %d, TP %d]]%n",
                    test.deviceIds(), m.count(), s.horizon(), s.horizon() * s.intervalMinutes(), m.accuracy(),
                    m.precision(), m.recall(), m.f1(), m.rocAuc(), m.prAuc(), m.brierScore(), m.trueNegatives(),
                    m.falsePositives(), m.falseNegatives(), m.truePositives());
            if (verbose) {
                out.println("  reliability of maintenance_probability: bin, windows, mean predicted, observed");
                for (ReliabilityBin b : m.reliability()) {
                    out.printf(Locale.ROOT, "    [%.1f, %.1f)  %6d  %.3f  %.3f%n", b.from(), b.to(), b.count(),
                            b.meanPredicted(), b.observedRate());
                }
            }
            Map<String, List<SensorReading>> byDevice = new TreeMap<>();
            for (SensorReading r : readings) {
                byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
            }
            List<DeviceWindow> windows = new ArrayList<>();
            byDevice.forEach((id, rs) -> windows.add(new DeviceWindow(id, rs.subList(rs.size() - s.sequenceLength(), rs.size()))));
            long t0 = System.nanoTime();
            List<Prediction> ps = lstm.predictBatch(windows);
            double ms = (System.nanoTime() - t0) / 1e6;
            out.printf("%-10s %24s %11s %19s%n", "device", "maintenance_probability", "risk_level", "maintenance_needed");
            for (Prediction p : ps) {
                out.printf(Locale.ROOT, "%-10s %24.3f %11s %19s%n", p.deviceId(), p.failureProbability(),
                        p.riskLevel().name().toLowerCase(Locale.ROOT), p.maintenanceNeeded());
            }
            out.printf(Locale.ROOT, "(%d predictions in one batch: %.1f ms)%n", ps.size(), ms);
            return lstm;
        } catch (RuntimeException e) {
            lstm.close();
            throw e;
        }
    }

    private static TrainingListener progress(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches) {
                out.printf(Locale.ROOT, "\repoch %2d %s", epoch, MlSupport.bar(batch, batches, 30));
                out.flush();
            }

            @Override
            public void onEpoch(TrainingReport.Epoch e, int epochs) {
                out.printf(Locale.ROOT, "\repoch %2d/%d train loss %.4f  val loss %.4f  val ROC-AUC %.3f  (%.1f s)%n",
                        e.epoch(), epochs, e.trainLoss(), e.validationLoss(), e.validationMetric(),
                        e.duration().toMillis() / 1000.0);
            }
        };
    }
}
