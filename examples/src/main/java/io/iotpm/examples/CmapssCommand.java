package io.iotpm.examples;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.EnsemblePredictor;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./iotpm cmapss}: trains LSTM ensembles on NASA C-MAPSS training engines through the public
 * API and measures them on the test engines with the two published protocols (see the data README).
 * Every setting was chosen with {@code --holdout}, which holds out training engines, evaluates on
 * all their windows and never reads the test files; the test files are read only for the final
 * numbers.
 */
final class CmapssCommand implements Command {

    static final int BINARY_WINDOW = 50;
    static final int HORIZON = 30;
    static final int RUL_WINDOW = 30;
    static final double RUL_CAP = 125;

    /** Defaults: the settings that won on held-out training engines (see the README). */
    static final int DEFAULT_ENSEMBLE = 3;
    static final double DEFAULT_MIN_CORRELATION = 0.2;
    /** Binary decision from both ensembles (validation F1 0.934 vs 0.913 for the classifier alone). */
    static final String DEFAULT_BINARY_FROM = "combined";

    /** The options of one run. */
    record Settings(int binaryEpochs, int rulEpochs, long seed, int rolling, int slope, int ensemble,
                    double minCorrelation, String binaryFrom, int binaryWindow) {

        static Settings from(Args args) {
            int epochs = args.getInt("epochs", -1);
            String binaryFrom = args.get("binary-from", DEFAULT_BINARY_FROM);
            if (!List.of("classifier", "rul", "combined").contains(binaryFrom)) {
                throw new IllegalArgumentException("--binary-from must be classifier, rul or combined, but was '"
                        + binaryFrom + "'");
            }
            int ensemble = args.getInt("ensemble", DEFAULT_ENSEMBLE);
            if (ensemble < 1 || ensemble > 100) {
                throw new IllegalArgumentException("--ensemble must be in [1, 100], but was " + ensemble);
            }
            int binaryWindow = args.getInt("binary-window", BINARY_WINDOW);
            if (binaryWindow < 5 || binaryWindow > BINARY_WINDOW) {
                // Longer windows would drop test engines the protocol keeps (it scores those with >= 50 cycles).
                throw new IllegalArgumentException("--binary-window must be in [5, " + BINARY_WINDOW + "], but was "
                        + binaryWindow);
            }
            return new Settings(epochs > 0 ? epochs : 15, epochs > 0 ? epochs : 40, args.getInt("seed", 42),
                    args.getInt("rolling", 0), args.getInt("slope", 0),
                    ensemble,
                    args.getDouble("min-correlation", DEFAULT_MIN_CORRELATION), binaryFrom, binaryWindow);
        }

        LstmPredictor.Builder classifier() {
            LstmPredictor.Builder b = LstmPredictor.builder(Cmapss.schema())
                    .sequenceLength(binaryWindow).horizon(HORIZON).dropConstantChannels()
                    .layers(100, 50).dropout(0.2).batchSize(200).epochs(binaryEpochs).earlyStoppingPatience(8)
                    .schedule(LstmPredictor.Schedule.PLATEAU, 3, 0.5).validationFraction(0.2).seed(seed)
                    .rollingFeatures(rolling).slopeFeatures(slope);
            return minCorrelation > 0 ? b.minTargetCorrelation(minCorrelation) : b;
        }

        LstmPredictor.Builder regressor() {
            LstmPredictor.Builder b = LstmPredictor.builder(Cmapss.schema())
                    .task(LstmPredictor.Task.RUL_REGRESSION).sequenceLength(RUL_WINDOW).rulCap(RUL_CAP).horizon(HORIZON)
                    .dropConstantChannels().scaler(LstmPredictor.ScalerType.Z_SCORE)
                    .layers(64, 64).denseLayers(32).dropout(0.2).batchSize(256).epochs(rulEpochs).earlyStoppingPatience(8)
                    .schedule(LstmPredictor.Schedule.PLATEAU, 3, 0.5).validationFraction(0.2).seed(seed)
                    .rollingFeatures(Math.min(rolling, RUL_WINDOW)).slopeFeatures(Math.min(slope, RUL_WINDOW));
            return minCorrelation > 0 ? b.minTargetCorrelation(minCorrelation) : b;
        }
    }

    /** Windows to score and their truth: a label (binary) or a capped RUL. */
    record Cases(String name, List<DeviceWindow> windows, boolean[] labels, double[] rul) {
    }

    @Override
    public String name() {
        return "cmapss";
    }

    @Override
    public String summary() {
        return "train + evaluate on NASA C-MAPSS [--train F --test F --rul F --protocol both|binary|rul --ensemble 3"
                + " --min-correlation 0.2 --binary-from combined|classifier|rul --binary-window 50 --epochs N --seed 42 --rolling 0 --slope 0"
                + " --holdout 0 (N > 0: validate on N held-out training engines, test files unread)]";
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
        Settings s = Settings.from(args);
        int holdout = args.getInt("holdout", 0);

        Cmapss.Training training = Cmapss.readTraining(train, "hpc_degradation");
        TrainingSet set = training.toTrainingSet();
        Cases binaryCases;
        Cases rulCases;
        Map<String, List<SensorReading>> allEngines = new LinkedHashMap<>();
        for (SensorReading r : training.readings()) {
            allEngines.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        if (holdout > 0) {
            List<String> ids = new ArrayList<>(set.deviceIds());
            if (holdout >= ids.size()) {
                throw new IllegalArgumentException("--holdout must be below the " + ids.size()
                        + " training engines, but was " + holdout);
            }
            // A split of its own, fixed, so every variant is judged on the same engines.
            SplittableRandom rnd = new SplittableRandom(args.getInt("split-seed", 1));
            for (int i = ids.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                ids.set(j, ids.set(i, ids.get(j)));
            }
            List<String> held = ids.subList(0, holdout).stream().sorted().toList();
            Map<String, List<SensorReading>> byEngine = new LinkedHashMap<>();
            held.forEach(id -> byEngine.put(id, allEngines.get(id)));
            List<String> kept = ids.subList(holdout, ids.size()).stream().sorted().toList();
            set = set.devices(kept);
            out.printf("C-MAPSS validation: training on %d engines of %s, evaluating every window of %d held-out"
                    + " training engines %s; the test files are not read%n", kept.size(), train.getFileName(),
                    held.size(), held);
            // Windows ending where a 50-cycle one would, whatever the model's window: every variant meets the same cases.
            binaryCases = allWindows(byEngine, s.binaryWindow(), BINARY_WINDOW);
            rulCases = allWindows(byEngine, RUL_WINDOW);
        } else {
            List<Cmapss.TestEngine> engines = Cmapss.readTest(test, rul);
            out.printf("C-MAPSS: %d training engines (%d cycles) from %s, %d test engines from %s%n",
                    set.deviceIds().size(), set.readingCount(), train.getFileName(), engines.size(), test.getFileName());
            binaryCases = lastWindows(engines, BINARY_WINDOW, true);
            rulCases = lastWindows(engines, RUL_WINDOW, false);
        }
        out.println("(machine: " + Runtime.getRuntime().availableProcessors() + " cores, shared with other jobs)");
        out.printf(Locale.ROOT, "settings: ensembles of %d (seeds %d..%d), min-correlation %.2f, binary from %s%n",
                s.ensemble(), s.seed(), s.seed() + s.ensemble() - 1, s.minCorrelation(), s.binaryFrom());

        List<String[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean validation = holdout > 0;
        boolean needRul = !protocol.equals("binary") || !s.binaryFrom().equals("classifier");
        EnsemblePredictor regressor = null;
        try {
            if (needRul) {
                out.println();
                out.println("== RUL model: window " + RUL_WINDOW + ", RUL capped at " + (int) RUL_CAP + " ==");
                regressor = train(s.regressor(), s.ensemble(), set, "RUL", rows, lines, out);
            }
            if (!protocol.equals("rul")) {
                out.println();
                out.println("== Protocol 1 (binary): window " + s.binaryWindow() + ", label RUL <= " + HORIZON + ", "
                        + binaryCases.name() + " ==");
                if (s.binaryFrom().equals("rul")) {
                    binary(regressor, binaryCases, validation, "RUL <= " + HORIZON + " from the RUL model", rows, lines, out);
                } else {
                    try (EnsemblePredictor classifier = train(s.classifier(), s.ensemble(), set, "Binary", rows, lines, out)) {
                        if (s.binaryFrom().equals("combined")) {
                            if (validation) {
                                binary(classifier, binaryCases, true, "classifier alone (alternative)",
                                        new ArrayList<>(), new ArrayList<>(), out);
                            }
                            combined(classifier, regressor, allEngines, binaryCases, validation, rows, lines, out);
                        } else {
                            binary(classifier, binaryCases, validation, String.format(Locale.ROOT,
                                    "threshold %.3f (chosen on validation engines)", classifier.threshold()), rows, lines, out);
                        }
                    }
                    if (validation && regressor != null) {
                        binary(regressor, binaryCases, true, "RUL <= " + HORIZON + " from the RUL model (alternative)",
                                new ArrayList<>(), new ArrayList<>(), out);
                    }
                }
            }
            if (!protocol.equals("binary")) {
                out.println();
                out.println("== Protocol 2 (RUL): " + rulCases.name() + ", truth capped at " + (int) RUL_CAP + " ==");
                regression(regressor, rulCases, validation, rows, lines, out);
            }
        } finally {
            if (regressor != null) {
                regressor.close();
            }
        }
        out.println();
        out.printf("%-44s %10s %10s%n", "metric", "iotpm", validation ? "" : "published");
        for (String[] r : rows) {
            out.printf("%-44s %10s %10s%n", r[0], r[1], validation ? "" : r[2]);
        }
        out.println();
        lines.forEach(out::println);
        return 0;
    }

    private static EnsemblePredictor train(LstmPredictor.Builder builder, int size, TrainingSet set, String what,
                                           List<String[]> rows, List<String> lines, PrintStream out) {
        long t0 = System.nanoTime();
        EnsemblePredictor e = EnsemblePredictor.train(builder, size, set, progress(out));
        for (LstmPredictor m : e.members()) {
            printReport(m.report(), out);
        }
        String seconds = String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9);
        out.println("trained " + size + " model(s) in " + seconds + " s");
        rows.add(new String[] {what + ": training time, " + size + " model(s) (s)", seconds, "-"});
        lines.add(what + " training seconds: " + seconds);
        return e;
    }

    /** Every window of the held-out engines: the validation counterpart of both protocols. */
    static Cases allWindows(Map<String, List<SensorReading>> engines, int window) {
        return allWindows(engines, window, window);
    }

    /** As {@link #allWindows(Map, int)}, but only the windows ending at cycle {@code firstEnd} or later. */
    static Cases allWindows(Map<String, List<SensorReading>> engines, int window, int firstEnd) {
        List<DeviceWindow> ws = new ArrayList<>();
        List<Integer> ruls = new ArrayList<>();
        engines.forEach((id, rs) -> {
            for (int end = Math.max(window, firstEnd); end <= rs.size(); end++) {
                ws.add(new DeviceWindow(id, rs.subList(end - window, end)));
                ruls.add(rs.size() - end);
            }
        });
        boolean[] labels = new boolean[ws.size()];
        double[] rul = new double[ws.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ruls.get(i) <= HORIZON;
            rul[i] = Math.min(RUL_CAP, ruls.get(i));
        }
        String ending = firstEnd > window ? " ending at cycle " + firstEnd + " or later" : "";
        return new Cases("every " + window + "-cycle window" + ending + " of " + engines.size() + " held-out training engines",
                ws, labels, rul);
    }

    /** The protocols' test cases: the last window of each test engine (binary: only engines with enough cycles). */
    static Cases lastWindows(List<Cmapss.TestEngine> engines, int window, boolean skipShort) {
        List<DeviceWindow> ws = new ArrayList<>();
        List<Integer> ruls = new ArrayList<>();
        for (Cmapss.TestEngine e : engines) {
            if (e.readings().size() < window) {
                if (skipShort) {
                    continue;
                }
                throw new IllegalArgumentException("test engine " + e.deviceId() + " has only " + e.readings().size()
                        + " cycles, fewer than the window of " + window);
            }
            ws.add(new DeviceWindow(e.deviceId(), e.readings()));
            ruls.add(e.trueRul());
        }
        boolean[] labels = new boolean[ws.size()];
        double[] rul = new double[ws.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ruls.get(i) <= HORIZON;
            rul[i] = Math.min(RUL_CAP, ruls.get(i));
        }
        return new Cases(skipShort ? "last window of the " + ws.size() + " test engines with >= " + window + " cycles"
                : "last cycle of all " + ws.size() + " test engines", ws, labels, rul);
    }

    private static void binary(EnsemblePredictor model, Cases cases, boolean validation, String rule,
                               List<String[]> rows, List<String> lines, PrintStream out) {
        boolean fromRul = model.members().get(0).task() == LstmPredictor.Task.RUL_REGRESSION;
        // An RUL model's failure score is 0.5 exactly at RUL = horizon, so 0.5 is the RUL <= horizon rule.
        if (validation && model.members().size() > 1) {
            for (int i = 0; i < model.members().size(); i++) {
                LstmPredictor one = model.members().get(i);
                ClassificationMetrics mm = classify(one, fromRul ? 0.5 : one.threshold(), cases);
                out.printf(Locale.ROOT, "  member %d: F1 %.3f  ROC-AUC %.3f%n", i + 1, mm.f1(), mm.rocAuc());
            }
        }
        ClassificationMetrics m = classify(model, fromRul ? 0.5 : model.threshold(), cases);
        reportBinary(m, cases, validation, rule, rows, lines, out);
    }

    /**
     * Binary from both ensembles: the mean of the classifier's probability and the RUL model's
     * monotone score. The threshold is chosen like a classifier ensemble's: for each member pair
     * (same seed), the best-F1 threshold on the windows of the training engines both members held
     * out for validation, then the mean; the cases being scored play no part in it.
     */
    private static void combined(EnsemblePredictor classifier, EnsemblePredictor regressor,
                                 Map<String, List<SensorReading>> trainingEngines, Cases cases, boolean validation,
                                 List<String[]> rows, List<String> lines, PrintStream out) {
        List<boolean[]> labels = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (int i = 0; i < classifier.members().size(); i++) {
            LstmPredictor c = classifier.members().get(i);
            LstmPredictor r = regressor.members().get(i);
            Map<String, List<SensorReading>> val = new LinkedHashMap<>();
            for (String id : c.report().validationDevices()) {
                if (r.report().validationDevices().contains(id) && trainingEngines.containsKey(id)) {
                    val.put(id, trainingEngines.get(id));
                }
            }
            Cases v = allWindows(val, c.sequenceLength(), BINARY_WINDOW);
            labels.add(v.labels());
            scores.add(combine(probabilities(c, v), probabilities(r, v)));
        }
        double threshold = combinedThreshold(labels, scores);
        double[] score = combine(probabilities(classifier, cases), probabilities(regressor, cases));
        ClassificationMetrics m = Evaluation.classification(cases.labels(), score, threshold);
        reportBinary(m, cases, validation, String.format(Locale.ROOT,
                "mean of classifier probability and RUL score, threshold %.3f (chosen on the members' validation engines)",
                threshold), rows, lines, out);
    }

    /** @return window by window, the mean of a classifier's probability and an RUL model's monotone score */
    static double[] combine(double[] probability, double[] rulScore) {
        if (probability.length != rulScore.length) {
            throw new IllegalArgumentException("cannot combine " + probability.length + " probabilities with "
                    + rulScore.length + " RUL scores");
        }
        double[] out = new double[probability.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (probability[i] + rulScore[i]) / 2;
        }
        return out;
    }

    /** @return the mean of each member pair's best-F1 threshold on its own validation windows */
    static double combinedThreshold(List<boolean[]> labels, List<double[]> scores) {
        if (labels.isEmpty() || labels.size() != scores.size()) {
            throw new IllegalArgumentException("need one label and score array per member pair, but got "
                    + labels.size() + " and " + scores.size());
        }
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += Evaluation.bestF1Threshold(labels.get(i), scores.get(i));
        }
        return sum / labels.size();
    }

    private static void reportBinary(ClassificationMetrics m, Cases cases, boolean validation, String rule,
                                     List<String[]> rows, List<String> lines, PrintStream out) {
        out.printf(Locale.ROOT, "%s: %d windows, %s, confusion [[TN %d, FP %d], [FN %d, TP %d]]%n",
                validation ? "validation" : "test", cases.windows().size(), rule,
                m.trueNegatives(), m.falsePositives(), m.falseNegatives(), m.truePositives());
        out.printf(Locale.ROOT, "%s binary (%s): F1 %.3f  precision %.3f  recall %.3f  accuracy %.3f  ROC-AUC %.3f%n",
                validation ? "validation" : "test", rule, m.f1(), m.precision(), m.recall(), m.accuracy(), m.rocAuc());
        String n = validation ? cases.windows().size() + " windows" : cases.windows().size() + " engines";
        rows.add(new String[] {"binary: accuracy (" + n + ")", f(m.accuracy()), "0.97"});
        rows.add(new String[] {"binary: precision", f(m.precision()), "0.92"});
        rows.add(new String[] {"binary: recall", f(m.recall()), "1.00"});
        rows.add(new String[] {"binary: F1", f(m.f1()), "0.96"});
        rows.add(new String[] {"binary: ROC-AUC", f(m.rocAuc()), "-"});
        lines.add("Accuracy: " + f(m.accuracy()));
        lines.add("Precision: " + f(m.precision()));
        lines.add("Recall: " + f(m.recall()));
        lines.add("F1: " + f(m.f1()));
        lines.add("ROC-AUC: " + f(m.rocAuc()));
        lines.add("PR-AUC: " + f(m.prAuc()));
    }

    private static void regression(EnsemblePredictor model, Cases cases, boolean validation,
                                   List<String[]> rows, List<String> lines, PrintStream out) {
        if (validation && model.members().size() > 1) {
            for (int i = 0; i < model.members().size(); i++) {
                RegressionMetrics mm = Evaluation.regression(cases.rul(), rul(model.members().get(i), cases));
                out.printf(Locale.ROOT, "  member %d: RMSE %.2f  MAE %.2f%n", i + 1, mm.rmse(), mm.mae());
            }
        }
        RegressionMetrics m = Evaluation.regression(cases.rul(), rul(model, cases));
        out.printf(Locale.ROOT, "%s RUL: %d windows, RMSE %.2f  MAE %.2f  R2 %.3f  NASA score %.0f%n",
                validation ? "validation" : "test", cases.windows().size(), m.rmse(), m.mae(), m.r2(), m.nasaScore());
        String n = validation ? cases.windows().size() + " windows" : cases.windows().size() + " engines";
        rows.add(new String[] {"RUL: RMSE (" + n + ", capped 125)", f1(m.rmse()), "16.14"});
        rows.add(new String[] {"RUL: NASA score", String.format(Locale.ROOT, "%.0f", m.nasaScore()), "-"});
        rows.add(new String[] {"RUL: MAE (Keras: 93 engines, uncapped)", f1(m.mae()), "12"});
        rows.add(new String[] {"RUL: R2 (Keras: 93 engines, uncapped)", f(m.r2()), "0.80"});
        lines.add("RMSE: " + f1(m.rmse()));
        lines.add("NASA score: " + String.format(Locale.ROOT, "%.0f", m.nasaScore()));
        lines.add("MAE: " + f1(m.mae()));
        lines.add("R2: " + f(m.r2()));
    }

    private static double[] rul(Predictor p, Cases cases) {
        return p.predictBatch(cases.windows()).stream().mapToDouble(Prediction::remainingUsefulLife).toArray();
    }

    private static ClassificationMetrics classify(Predictor p, double threshold, Cases cases) {
        return Evaluation.classification(cases.labels(), probabilities(p, cases), threshold);
    }

    private static double[] probabilities(Predictor p, Cases cases) {
        return p.predictBatch(cases.windows()).stream().mapToDouble(Prediction::failureProbability).toArray();
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
