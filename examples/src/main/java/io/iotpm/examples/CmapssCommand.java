package io.iotpm.examples;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.RegressionMetrics;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.cmapss.Cmapss;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./iotpm cmapss}: trains the LSTM on NASA C-MAPSS training engines through the public API
 * and measures it on the test engines with the two published protocols (see the data README).
 * Hyper-parameters were chosen on a validation split of training engines; the test files are read
 * only for the final numbers.
 */
final class CmapssCommand implements Command {

    @Override
    public String name() {
        return "cmapss";
    }

    @Override
    public String summary() {
        return "train + evaluate on NASA C-MAPSS [--train F --test F --rul F --protocol both|binary|rul --epochs 40 --seed 42 --rolling 0 --slope 0]";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        MlSupport.quietOffline();
        Path dataDir = Path.of(System.getProperty("iotpm.home", "."), "..", "shared", "data", "cmapss").normalize();
        Path train = Path.of(args.get("train", dataDir.resolve("train_FD001.txt").toString()));
        Path test = Path.of(args.get("test", dataDir.resolve("test_FD001.txt").toString()));
        Path rul = Path.of(args.get("rul", dataDir.resolve("RUL_FD001.txt").toString()));
        String protocol = args.get("protocol", "both");
        if (!List.of("both", "binary", "rul").contains(protocol)) {
            throw new IllegalArgumentException("--protocol must be both, binary or rul, but was '" + protocol + "'");
        }
        int epochs = args.getInt("epochs", 40);
        long seed = args.getInt("seed", 42);
        int rolling = args.getInt("rolling", 0);
        int slope = args.getInt("slope", 0);

        Cmapss.Training training = Cmapss.readTraining(train, "hpc_degradation");
        List<Cmapss.TestEngine> engines = Cmapss.readTest(test, rul);
        TrainingSet set = training.toTrainingSet();
        out.printf("C-MAPSS: %d training engines (%d cycles) from %s, %d test engines from %s%n",
                set.deviceIds().size(), set.readingCount(), train.getFileName(), engines.size(), test.getFileName());
        out.println("(machine: " + Runtime.getRuntime().availableProcessors() + " cores, shared with other jobs)");

        List<String[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        if (!protocol.equals("rul")) {
            binary(set, engines, epochs, seed, rolling, slope, out, rows, lines);
        }
        if (!protocol.equals("binary")) {
            regression(set, engines, epochs, seed, rolling, slope, out, rows, lines);
        }
        out.println();
        out.printf("%-44s %10s %10s%n", "metric", "iotpm", "published");
        for (String[] r : rows) {
            out.printf("%-44s %10s %10s%n", r[0], r[1], r[2]);
        }
        out.println();
        lines.forEach(out::println);
        return 0;
    }

    private static void binary(TrainingSet set, List<Cmapss.TestEngine> engines, int epochs, long seed, int rolling,
                               int slope, PrintStream out,
                               List<String[]> rows, List<String> lines) {
        int window = 50;
        int horizon = 30;
        out.println();
        out.println("== Protocol 1 (binary): window " + window + ", label RUL <= " + horizon
                + ", last window of test engines with >= " + window + " cycles ==");
        try (LstmPredictor lstm = LstmPredictor.builder(Cmapss.schema())
                .sequenceLength(window).horizon(horizon).dropConstantChannels()
                .layers(100, 50).dropout(0.2).batchSize(200).epochs(epochs).earlyStoppingPatience(8)
                .schedule(LstmPredictor.Schedule.PLATEAU, 3, 0.5).validationFraction(0.2).seed(seed)
                .rollingFeatures(rolling).slopeFeatures(slope)
                .build()) {
            TrainingReport report = lstm.train(set, progress(out));
            printReport(report, out);
            List<DeviceWindow> windows = new ArrayList<>();
            List<Boolean> actual = new ArrayList<>();
            for (Cmapss.TestEngine e : engines) {
                if (e.readings().size() >= window) {
                    windows.add(new DeviceWindow(e.deviceId(), e.readings()));
                    actual.add(e.trueRul() <= horizon);
                }
            }
            List<Prediction> ps = lstm.predictBatch(windows);
            boolean[] a = new boolean[ps.size()];
            double[] p = new double[ps.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = actual.get(i);
                p[i] = ps.get(i).failureProbability();
            }
            ClassificationMetrics m = Evaluation.classification(a, p, lstm.threshold());
            out.printf("test: %d engines, threshold %.3f (chosen on validation engines), confusion [[TN %d, FP %d], [FN %d, TP %d]]%n",
                    a.length, lstm.threshold(), m.trueNegatives(), m.falsePositives(), m.falseNegatives(), m.truePositives());
            rows.add(new String[] {"binary: accuracy (93 engines)", f(m.accuracy()), "0.97"});
            rows.add(new String[] {"binary: precision", f(m.precision()), "0.92"});
            rows.add(new String[] {"binary: recall", f(m.recall()), "1.00"});
            rows.add(new String[] {"binary: F1", f(m.f1()), "0.96"});
            rows.add(new String[] {"binary: ROC-AUC", f(m.rocAuc()), "-"});
            rows.add(new String[] {"binary: training time (s)", String.format(Locale.ROOT, "%.0f", report.duration().toMillis() / 1000.0), "-"});
            lines.add("Accuracy: " + f(m.accuracy()));
            lines.add("Precision: " + f(m.precision()));
            lines.add("Recall: " + f(m.recall()));
            lines.add("F1: " + f(m.f1()));
            lines.add("ROC-AUC: " + f(m.rocAuc()));
            lines.add("PR-AUC: " + f(m.prAuc()));
            lines.add("Binary training seconds: " + String.format(Locale.ROOT, "%.0f", report.duration().toMillis() / 1000.0));
        }
    }

    private static void regression(TrainingSet set, List<Cmapss.TestEngine> engines, int epochs, long seed, int rolling,
                                   int slope, PrintStream out,
                                   List<String[]> rows, List<String> lines) {
        int window = 30;
        double cap = 125;
        out.println();
        out.println("== Protocol 2 (RUL): window " + window + ", RUL capped at " + (int) cap
                + ", last cycle of all test engines ==");
        try (LstmPredictor lstm = LstmPredictor.builder(Cmapss.schema())
                .task(LstmPredictor.Task.RUL_REGRESSION).sequenceLength(window).rulCap(cap).horizon(30)
                .dropConstantChannels().scaler(LstmPredictor.ScalerType.Z_SCORE)
                .layers(64, 64).denseLayers(32).dropout(0.2).batchSize(256).epochs(epochs).earlyStoppingPatience(8)
                .schedule(LstmPredictor.Schedule.PLATEAU, 3, 0.5).validationFraction(0.2).seed(seed)
                .rollingFeatures(rolling).slopeFeatures(slope)
                .build()) {
            TrainingReport report = lstm.train(set, progress(out));
            printReport(report, out);
            List<DeviceWindow> windows = new ArrayList<>();
            double[] actual = new double[engines.size()];
            for (int i = 0; i < engines.size(); i++) {
                Cmapss.TestEngine e = engines.get(i);
                if (e.readings().size() < window) {
                    throw new IllegalArgumentException("test engine " + e.deviceId() + " has only " + e.readings().size()
                            + " cycles, fewer than the window of " + window);
                }
                windows.add(new DeviceWindow(e.deviceId(), e.readings()));
                actual[i] = Math.min(cap, e.trueRul());
            }
            double[] predicted = lstm.predictBatch(windows).stream().mapToDouble(Prediction::remainingUsefulLife).toArray();
            RegressionMetrics m = Evaluation.regression(actual, predicted);
            rows.add(new String[] {"RUL: RMSE (100 engines, capped 125)", f1(m.rmse()), "16.14"});
            rows.add(new String[] {"RUL: NASA score", String.format(Locale.ROOT, "%.0f", m.nasaScore()), "-"});
            rows.add(new String[] {"RUL: MAE (Keras: 93 engines, uncapped)", f1(m.mae()), "12"});
            rows.add(new String[] {"RUL: R2 (Keras: 93 engines, uncapped)", f(m.r2()), "0.80"});
            rows.add(new String[] {"RUL: training time (s)", String.format(Locale.ROOT, "%.0f", report.duration().toMillis() / 1000.0), "-"});
            lines.add("RMSE: " + f1(m.rmse()));
            lines.add("NASA score: " + String.format(Locale.ROOT, "%.0f", m.nasaScore()));
            lines.add("MAE: " + f1(m.mae()));
            lines.add("R2: " + f(m.r2()));
            lines.add("RUL training seconds: " + String.format(Locale.ROOT, "%.0f", report.duration().toMillis() / 1000.0));
        }
    }

    static TrainingListener progress(PrintStream out) {
        return new TrainingListener() {
            private long t0 = System.nanoTime();

            @Override
            public void onBatch(int epoch, int batch, int batches) {
                if (batch % 10 == 0 || batch == batches) {
                    out.printf(Locale.ROOT, "\repoch %3d %s batch %d/%d (%.1f s)", epoch, MlSupport.bar(batch, batches, 20),
                            batch, batches, (System.nanoTime() - t0) / 1e9);
                    out.flush();
                }
            }

            @Override
            public void onEpoch(TrainingReport.Epoch e, int epochs) {
                t0 = System.nanoTime();
                out.printf(Locale.ROOT, "\repoch %3d/%d %s train loss %.4f  val loss %.4f  val %s %.4f  lr %.2g  %.1fs%n",
                        e.epoch(), epochs, MlSupport.bar(e.epoch(), epochs, 20), e.trainLoss(), e.validationLoss(),
                        "metric", e.validationMetric(), e.learningRate(), e.duration().toMillis() / 1000.0);
            }
        };
    }

    static void printReport(TrainingReport r, PrintStream out) {
        out.printf(Locale.ROOT, "trained %d windows (%d engines), validated on %d windows (%d engines); best epoch %d of %d; %.0f s%n",
                r.trainWindows(), r.trainDevices().size(), r.validationWindows(), r.validationDevices().size(),
                r.bestEpoch(), r.epochs().size(), r.duration().toMillis() / 1000.0);
        out.println("validation metrics: " + r.validationMetrics());
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
