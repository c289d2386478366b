package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.ClassificationMetrics;
import io.iotpm.ml.EnsemblePredictor;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.RegressionMetrics;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.cmapss.BinaryDecision;
import io.iotpm.ml.cmapss.Cmapss;
import io.iotpm.ml.cmapss.CmapssEvaluation;
import io.iotpm.ml.cmapss.CmapssSettings;
import io.iotpm.ml.cmapss.ProtocolCases;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.iotpm.ml.cmapss.CmapssSettings.BINARY_WINDOW;
import static io.iotpm.ml.cmapss.CmapssSettings.HORIZON;
import static io.iotpm.ml.cmapss.CmapssSettings.RUL_CAP;
import static io.iotpm.ml.cmapss.CmapssSettings.RUL_MIN_HISTORY;

/**
 * {@code ./iotpm cmapss}: trains LSTM ensembles on NASA C-MAPSS training engines through the public
 * API and measures them on the test engines with the two published protocols (see the data README).
 * Every setting was chosen with {@code --holdout}, which holds out training engines, evaluates on
 * all their windows and never reads the test files; the test files are read only for the final
 * numbers. The protocol logic lives in {@code io.iotpm.ml.cmapss}; this command parses and prints.
 */
@Command(name = "cmapss", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "train + evaluate on NASA C-MAPSS (about 15 minutes with the defaults)")
final class CmapssCommand implements Callable<Integer> {

    private static final Path DATA = Path.of(System.getProperty("iotpm.home", "."), "..", "shared", "data", "cmapss")
            .normalize();

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--train", paramLabel = "FILE", description = "training file (default: FD001 in ../shared/data/cmapss)")
    private Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "test file (default: FD001)")
    private Path test;

    @Option(names = "--rul", paramLabel = "FILE", description = "true RUL of the test engines (default: FD001)")
    private Path rul;

    @Option(names = "--protocol", defaultValue = "both", description = "both, binary or rul")
    private String protocol;

    @Option(names = "--ensemble", defaultValue = "" + CmapssSettings.DEFAULT_ENSEMBLE, description = "members per ensemble, 1 to 100")
    private int ensemble;

    @Option(names = "--min-correlation", defaultValue = "" + CmapssSettings.DEFAULT_MIN_CORRELATION,
            description = "drop channels less correlated with the target; 0 keeps all")
    private double minCorrelation;

    @Option(names = "--binary-from", defaultValue = "combined", description = "combined, classifier or rul")
    private String binaryFrom;

    @Option(names = "--binary-window", defaultValue = "" + BINARY_WINDOW, description = "the classifier's window, 5 to "
            + CmapssSettings.MAX_WINDOW + "; above " + BINARY_WINDOW + ", engines with fewer cycles (at least "
            + BINARY_WINDOW + ") are padded with their first")
    private int binaryWindow;

    @Option(names = "--epochs", defaultValue = "-1",
            description = "epochs of every model (default: " + CmapssSettings.DEFAULT_BINARY_EPOCHS + " classifier, "
                    + CmapssSettings.DEFAULT_RUL_EPOCHS + " RUL protocol, " + CmapssSettings.DEFAULT_BINARY_RUL_EPOCHS
                    + " binary protocol's RUL)", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    private int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the first member")
    private long seed;

    @Option(names = "--rolling", defaultValue = "0", description = "rolling-statistics window, 0 for none")
    private int rolling;

    @Option(names = "--slope", defaultValue = "0", description = "slope-feature window, 0 for none")
    private int slope;

    @Option(names = "--holdout", defaultValue = "0",
            description = "N > 0: validate on N held-out training engines, test files unread")
    private int holdout;

    @Option(names = "--calibration", defaultValue = "none",
            description = "none or platt: Platt scaling of every member's probability on its validation engines")
    private String calibration;

    @Option(names = "--schedule", defaultValue = "plateau",
            description = "learning-rate schedule of the classifiers and the binary protocol's RUL models: plateau,"
                    + " cosine, step or constant")
    private String schedule;

    @Option(names = "--rul-schedule", defaultValue = "plateau",
            description = "learning-rate schedule of the RUL protocol's models (plateau needs --rul-holdout > 0)")
    private String rulSchedule;

    @Option(names = "--rul-holdout", defaultValue = "" + CmapssSettings.DEFAULT_RUL_HOLDOUT,
            description = "fraction of the training engines each RUL protocol model holds out for early stopping,"
                    + " in [0, 0.5]; 0 trains on all for the full epochs")
    private double rulHoldout;

    @Option(names = "--dropout", defaultValue = "" + CmapssSettings.DEFAULT_DROPOUT, description = "dropout of every model, in [0, 1)")
    private double dropout;

    @Option(names = "--smoothing", defaultValue = "" + CmapssSettings.DEFAULT_SMOOTHING,
            description = "exponential smoothing factor of every model's input inside the window, in (0, 1); 0 for none")
    private double smoothing;

    @Option(names = "--rul-average", defaultValue = "" + CmapssSettings.DEFAULT_RUL_AVERAGE,
            description = "RUL protocol: mean over the last K windows, each shifted by its offset; 1 = last window alone")
    private int rulAverage;

    @Option(names = "--rul-window", defaultValue = "" + CmapssSettings.DEFAULT_RUL_WINDOW, split = ",",
            paramLabel = "N[,N...]",
            description = "the RUL models' window, " + RUL_MIN_HISTORY + " to " + CmapssSettings.MAX_WINDOW
                    + "; engines with fewer cycles (at least " + RUL_MIN_HISTORY + ") are padded with their first;"
                    + " several (30,50,80) give member i the i-th, cycling")
    private List<Integer> rulWindow;

    @Option(names = "--binary-rul-window", defaultValue = "" + CmapssSettings.DEFAULT_BINARY_RUL_WINDOW,
            description = "the window of the RUL ensemble behind the binary protocol's combined or RUL decision, "
                    + RUL_MIN_HISTORY + " to " + CmapssSettings.MAX_WINDOW)
    private int binaryRulWindow;

    @Option(names = "--split-seed", defaultValue = "1", description = "seed of the held-out split")
    private long splitSeed;

    @Option(names = "--cases", paramLabel = "DIR", description = "also write every scored case with its truth and"
            + " estimates to DIR/" + CaseFiles.RUL + " and DIR/" + CaseFiles.BINARY + " (not with --rul-average > 1)")
    private Path cases;

    /** Parses the model options into the protocol's settings, rejecting bad values before any work. */
    CmapssSettings settings() {
        BinaryDecision decision;
        try {
            decision = BinaryDecision.parse(binaryFrom);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--binary-from must be classifier, rul or combined, but was '"
                    + binaryFrom + "'");
        }
        CmapssSettings s = CmapssSettings.builder()
                .binaryEpochs(epochs > 0 ? epochs : CmapssSettings.DEFAULT_BINARY_EPOCHS)
                .rulEpochs(epochs > 0 ? epochs : CmapssSettings.DEFAULT_RUL_EPOCHS)
                .binaryRulEpochs(epochs > 0 ? epochs : CmapssSettings.DEFAULT_BINARY_RUL_EPOCHS).seed(seed).rolling(rolling)
                .slope(slope).ensemble(ensemble).minCorrelation(minCorrelation).binaryDecision(decision)
                .binaryWindow(binaryWindow).calibration(MlSupport.calibration(calibration)).schedule(schedule("--schedule", schedule))
                .rulSchedule(schedule("--rul-schedule", rulSchedule)).rulHoldout(rulHoldout)
                .dropout(dropout).smoothing(smoothing).rulAverage(rulAverage).rulWindows(rulWindow)
                .binaryRulWindow(binaryRulWindow).build();
        if (cases != null && s.rulAverage() > 1) {
            throw new IllegalArgumentException("--cases writes last-window estimates, so it cannot go with --rul-average "
                    + s.rulAverage());
        }
        // Building the builders checks their values (e.g. --min-correlation) now, not after the first ensemble trained.
        s.classifier();
        s.regressors();
        s.binaryRegressor();
        return s;
    }

    private static LstmPredictor.Schedule schedule(String option, String value) {
        try {
            return LstmPredictor.Schedule.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be plateau, cosine, step or constant, but was '"
                    + value + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        MlSupport.quietOffline();
        Path trainFile = train != null ? train : DATA.resolve("train_FD001.txt");
        Path testFile = test != null ? test : DATA.resolve("test_FD001.txt");
        Path rulFile = rul != null ? rul : DATA.resolve("RUL_FD001.txt");
        if (!List.of("both", "binary", "rul").contains(protocol)) {
            throw new IllegalArgumentException("--protocol must be both, binary or rul, but was '" + protocol + "'");
        }
        CmapssSettings s = settings();

        Cmapss.Training training = Cmapss.readTraining(trainFile, "hpc_degradation");
        TrainingSet set = training.toTrainingSet();
        ProtocolCases binaryCases;
        ProtocolCases rulCases;
        Map<String, List<SensorReading>> allEngines = new LinkedHashMap<>();
        for (SensorReading r : training.readings()) {
            allEngines.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        if (holdout > 0) {
            if (holdout >= set.deviceIds().size()) {
                throw new IllegalArgumentException("--holdout must be below the " + set.deviceIds().size()
                        + " training engines, but was " + holdout);
            }
            CmapssEvaluation.Split split = CmapssEvaluation.holdOut(set.deviceIds(), holdout, splitSeed);
            Map<String, List<SensorReading>> byEngine = new LinkedHashMap<>();
            split.held().forEach(id -> byEngine.put(id, allEngines.get(id)));
            set = set.devices(split.kept());
            out.printf("C-MAPSS validation: training on %d engines of %s, evaluating every window of %d held-out"
                    + " training engines %s; the test files are not read%n", split.kept().size(), trainFile.getFileName(),
                    split.held().size(), split.held());
            // Windows ending where a 50-cycle one would, whatever the model's window: every variant meets the same cases.
            binaryCases = ProtocolCases.allWindows(byEngine, Math.min(s.binaryWindow(), BINARY_WINDOW), BINARY_WINDOW);
            rulCases = ProtocolCases.allWindows(byEngine, RUL_MIN_HISTORY);
        } else {
            List<Cmapss.TestEngine> engines = Cmapss.readTest(testFile, rulFile);
            out.printf("C-MAPSS: %d training engines (%d cycles) from %s, %d test engines from %s%n",
                    set.deviceIds().size(), set.readingCount(), trainFile.getFileName(), engines.size(),
                    testFile.getFileName());
            binaryCases = ProtocolCases.lastWindows(engines, BINARY_WINDOW, true);
            rulCases = ProtocolCases.lastWindows(engines, RUL_MIN_HISTORY, false);
        }
        out.println("(machine: " + Runtime.getRuntime().availableProcessors() + " cores, shared with other jobs)");
        out.printf(Locale.ROOT, "settings: ensembles of %d (seeds %d..%d), min-correlation %.2f, binary from %s,"
                        + " calibration %s, schedule %s, dropout %.2f, smoothing %.2f, RUL averaged over %d window(s)%n",
                s.ensemble(), s.seed(), s.seed() + s.ensemble() - 1, s.minCorrelation(), s.binaryDecision().label(),
                s.calibration().name().toLowerCase(Locale.ROOT), s.schedule().name().toLowerCase(Locale.ROOT),
                s.dropout(), s.smoothing(), s.rulAverage());

        List<String[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean validation = holdout > 0;
        boolean rulProtocol = !protocol.equals("binary");
        boolean binaryRul = !protocol.equals("rul") && s.binaryNeedsRul();
        EnsemblePredictor regressor = null;
        EnsemblePredictor binaryRegressor = null;
        try {
            if (rulProtocol) {
                out.println();
                out.println("== RUL model: window " + windows(s.rulWindows()) + " (shorter histories from " + RUL_MIN_HISTORY
                        + " cycles padded), RUL capped at " + (int) RUL_CAP + ", " + s.rulEpochs() + " epochs, "
                        + s.rulSchedule().name().toLowerCase(Locale.ROOT) + " schedule, "
                        + (s.rulHoldout() == 0 ? "every engine, no early stopping"
                                : "early stopping on " + Math.round(s.rulHoldout() * 100) + " % of the engines")
                        + " ==");
                regressor = train(s.regressors(), set, "RUL", rows, lines, out);
            }
            if (binaryRul && regressor != null && s.binaryReusesRul()) {
                binaryRegressor = regressor;
            } else if (binaryRul) {
                out.println();
                out.println("== RUL model for the binary decision: window " + s.binaryRulWindow() + ", RUL capped at "
                        + (int) RUL_CAP + " ==");
                binaryRegressor = train(s.binaryRegressor(), s.ensemble(), set, "Binary RUL", rows, lines, out);
            }
            if (!protocol.equals("rul")) {
                out.println();
                out.println("== Protocol 1 (binary): window " + s.binaryWindow() + ", label RUL <= " + HORIZON + ", "
                        + binaryCases.name() + " ==");
                if (s.binaryDecision() == BinaryDecision.RUL) {
                    binary(binaryRegressor, binaryCases, validation, "RUL <= " + HORIZON + " from the RUL model", rows, lines,
                            out);
                    writeBinaryCases(binaryRegressor, binaryCases);
                } else {
                    try (EnsemblePredictor classifier = train(s.classifier(), s.ensemble(), set, "Binary", rows, lines, out)) {
                        if (s.binaryDecision() == BinaryDecision.COMBINED) {
                            if (validation) {
                                binary(classifier, binaryCases, true, "classifier alone (alternative)",
                                        new ArrayList<>(), new ArrayList<>(), out);
                            }
                            CmapssEvaluation.Combined c = CmapssEvaluation.combined(classifier, binaryRegressor, allEngines,
                                    binaryCases);
                            reportBinary(c.metrics(), c.f1Interval(), binaryCases, validation, String.format(Locale.ROOT,
                                    "mean of classifier probability and RUL score, threshold %.3f (chosen on the members'"
                                            + " validation engines)", c.threshold()), rows, lines, out);
                            if (cases != null) {
                                writeBinaryCases(binaryCases,
                                        CmapssEvaluation.combinedScores(classifier, binaryRegressor, binaryCases),
                                        c.threshold());
                            }
                        } else {
                            binary(classifier, binaryCases, validation, String.format(Locale.ROOT,
                                    "threshold %.3f (chosen on validation engines)", classifier.threshold()), rows, lines, out);
                            writeBinaryCases(classifier, binaryCases);
                        }
                    }
                    if (validation && binaryRegressor != null) {
                        binary(binaryRegressor, binaryCases, true, "RUL <= " + HORIZON + " from the RUL model (alternative)",
                                new ArrayList<>(), new ArrayList<>(), out);
                    }
                }
            }
            if (!protocol.equals("binary")) {
                out.println();
                out.println("== Protocol 2 (RUL): " + rulCases.name() + ", truth capped at " + (int) RUL_CAP + " ==");
                regression(regressor, rulCases, validation, s.rulAverage(), rows, lines, out);
                if (cases != null) {
                    CaseFiles.writeRul(cases.resolve(CaseFiles.RUL), rulCases,
                            CmapssEvaluation.rulEstimates(regressor, rulCases),
                            regressor.members().stream().map(m -> CmapssEvaluation.rulEstimates(m, rulCases)).toList());
                }
            }
        } finally {
            if (regressor != null) {
                regressor.close();
            }
            if (binaryRegressor != null && binaryRegressor != regressor) {
                binaryRegressor.close();
            }
        }
        if (cases != null) {
            out.println();
            out.println("every scored case: " + cases.toAbsolutePath().normalize());
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

    private void writeBinaryCases(EnsemblePredictor model, ProtocolCases scored) throws IOException {
        if (cases != null) {
            writeBinaryCases(scored, CmapssEvaluation.probabilities(model, scored), model.threshold());
        }
    }

    private void writeBinaryCases(ProtocolCases scored, double[] score, double threshold) throws IOException {
        CaseFiles.writeBinary(cases.resolve(CaseFiles.BINARY), scored, score, threshold);
    }

    private static String windows(List<Integer> windows) {
        return windows.size() == 1 ? "" + windows.get(0)
                : windows.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (member i reads the i-th)";
    }

    private static EnsemblePredictor train(LstmPredictor.Builder builder, int size, TrainingSet set, String what,
                                           List<String[]> rows, List<String> lines, PrintStream out) {
        return train(l -> EnsemblePredictor.train(builder, size, set, l), what, rows, lines, out);
    }

    private static EnsemblePredictor train(List<LstmPredictor.Builder> members, TrainingSet set, String what,
                                           List<String[]> rows, List<String> lines, PrintStream out) {
        return train(l -> EnsemblePredictor.train(members, set, l), what, rows, lines, out);
    }

    private static EnsemblePredictor train(Function<TrainingListener, EnsemblePredictor> training, String what,
                                           List<String[]> rows, List<String> lines, PrintStream out) {
        long t0 = System.nanoTime();
        EnsemblePredictor e = training.apply(progress(out));
        int size = e.members().size();
        for (LstmPredictor m : e.members()) {
            printReport(m.report(), out);
        }
        String seconds = String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9);
        out.println("trained " + size + " model(s) in " + seconds + " s");
        rows.add(new String[] {what + ": training time, " + size + " model(s) (s)", seconds, "-"});
        lines.add(what + " training seconds: " + seconds);
        return e;
    }

    private static void binary(EnsemblePredictor model, ProtocolCases cases, boolean validation, String rule,
                               List<String[]> rows, List<String> lines, PrintStream out) {
        if (validation && model.members().size() > 1) {
            List<ClassificationMetrics> members = CmapssEvaluation.binaryPerMember(model, cases);
            for (int i = 0; i < members.size(); i++) {
                out.printf(Locale.ROOT, "  member %d: F1 %.3f  ROC-AUC %.3f%n", i + 1, members.get(i).f1(),
                        members.get(i).rocAuc());
            }
        }
        reportBinary(CmapssEvaluation.binary(model, cases), CmapssEvaluation.f1Interval(model, cases), cases,
                validation, rule, rows, lines, out);
    }

    private static void reportBinary(ClassificationMetrics m, CmapssEvaluation.Interval f1, ProtocolCases cases,
                                     boolean validation, String rule, List<String[]> rows, List<String> lines,
                                     PrintStream out) {
        out.printf(Locale.ROOT, "%s: %d windows, %s, confusion [[TN %d, FP %d], [FN %d, TP %d]]%n",
                validation ? "validation" : "test", cases.windows().size(), rule,
                m.trueNegatives(), m.falsePositives(), m.falseNegatives(), m.truePositives());
        out.printf(Locale.ROOT, "%s binary (%s): F1 %.3f  precision %.3f  recall %.3f  accuracy %.3f  ROC-AUC %.3f%n",
                validation ? "validation" : "test", rule, m.f1(), m.precision(), m.recall(), m.accuracy(), m.rocAuc());
        out.printf(Locale.ROOT, "  F1 95 %% interval over resampled engines: %s%n", f1);
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
        lines.add("F1 95% interval: " + f1);
        lines.add("ROC-AUC: " + f(m.rocAuc()));
        lines.add("PR-AUC: " + f(m.prAuc()));
    }

    private static void regression(EnsemblePredictor model, ProtocolCases cases, boolean validation, int average,
                                   List<String[]> rows, List<String> lines, PrintStream out) {
        // On the test files too: whether a difference between two settings holds for every member.
        if (model.members().size() > 1) {
            List<RegressionMetrics> members = CmapssEvaluation.regressionPerMember(model, cases);
            for (int i = 0; i < members.size(); i++) {
                out.printf(Locale.ROOT, "  member %d: RMSE %.2f  MAE %.2f%n", i + 1, members.get(i).rmse(),
                        members.get(i).mae());
            }
        }
        if (validation) {
            out.printf(Locale.ROOT, "  engine-weighted RMSE (every held-out engine counts once, as each test engine"
                    + " does): %.2f%n", CmapssEvaluation.engineWeightedRmse(model, cases));
            int[] ks = {1, 3, 5, 10};
            List<RegressionMetrics> alt = CmapssEvaluation.regressionAveraged(model, cases, RUL_MIN_HISTORY, ks);
            for (int i = 0; i < ks.length; i++) {
                out.printf(Locale.ROOT, "  averaged over the last %d window(s) (alternative): RMSE %.2f  MAE %.2f"
                        + "  NASA score %.0f%n", ks[i], alt.get(i).rmse(), alt.get(i).mae(), alt.get(i).nasaScore());
            }
        }
        RegressionMetrics m = average == 1 ? CmapssEvaluation.regression(model, cases)
                : CmapssEvaluation.regressionAveraged(model, cases, RUL_MIN_HISTORY, average).get(0);
        out.printf(Locale.ROOT, "%s RUL: %d windows, RMSE %.2f  MAE %.2f  R2 %.3f  NASA score %.0f%n",
                validation ? "validation" : "test", cases.windows().size(), m.rmse(), m.mae(), m.r2(), m.nasaScore());
        String interval = average == 1 ? CmapssEvaluation.rmseInterval(model, cases).toString()
                : "(not computed for averaged windows)";
        out.printf(Locale.ROOT, "  RMSE 95 %% interval over resampled engines: %s%n", interval);
        String n = validation ? cases.windows().size() + " windows" : cases.windows().size() + " engines";
        rows.add(new String[] {"RUL: RMSE (" + n + ", capped 125)", f1(m.rmse()), "16.14"});
        rows.add(new String[] {"RUL: NASA score", String.format(Locale.ROOT, "%.0f", m.nasaScore()), "-"});
        rows.add(new String[] {"RUL: MAE (Keras: 93 engines, uncapped)", f1(m.mae()), "12"});
        rows.add(new String[] {"RUL: R2 (Keras: 93 engines, uncapped)", f(m.r2()), "0.80"});
        lines.add("RMSE: " + f1(m.rmse()));
        lines.add("RMSE 95% interval: " + interval);
        lines.add("NASA score: " + String.format(Locale.ROOT, "%.0f", m.nasaScore()));
        lines.add("MAE: " + f1(m.mae()));
        lines.add("R2: " + f(m.r2()));
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
