package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.anomaly.AnomalyEvaluation;
import io.iotpm.ml.cmapss.Cmapss;
import io.iotpm.ml.cmapss.CmapssEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./iotpm anomaly}: evaluates the LSTM autoencoder ({@link AnomalyDetector}) honestly. On
 * simulated motors it trains on some devices and ranks every window of unseen ones by anomaly score
 * for "a failure within the horizon", beside the supervised LSTM trained on the same devices; on
 * C-MAPSS FD001 it trains on the early life of training engines only and measures, on held-out
 * engines run to failure, how many cycles before the failure the score crosses its threshold, and
 * how often it does in early life. The measures live in {@link AnomalyEvaluation}; this command
 * parses and prints.
 */
@Command(name = "anomaly", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "evaluate the LSTM autoencoder: ROC-AUC on unseen simulated devices beside the supervised"
                + " LSTM, lead time and false alarms on C-MAPSS FD001 (about 2 minutes with the defaults)")
final class AnomalyCommand implements Callable<Integer> {

    private static final Path DATA = Path.of(System.getProperty("iotpm.home", "."), "..", "shared", "data", "cmapss")
            .normalize();

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--part", defaultValue = "both", description = "both, simulated or cmapss")
    private String part;

    @Option(names = "--devices", defaultValue = "10", description = "simulated devices")
    private int devices;

    @Option(names = "--unseen", defaultValue = "3", description = "simulated devices held out for the evaluation")
    private int unseen;

    @Option(names = "--days", defaultValue = "20", description = "simulated days per device (10-minute readings)")
    private int days;

    @Option(names = "--epochs", defaultValue = "6", description = "epochs of every model")
    private int epochs;

    @Option(names = "--percentile", defaultValue = "99", description = "threshold percentile of healthy scores")
    private double percentile;

    @Option(names = "--train", paramLabel = "FILE", description = "C-MAPSS training file (default: FD001 in ../shared/data/cmapss)")
    private Path train;

    @Option(names = "--early", defaultValue = "80", description = "C-MAPSS cycles from each engine's start that count as early life")
    private int early;

    @Option(names = "--holdout", defaultValue = "20", description = "C-MAPSS training engines held out, run to failure")
    private int holdout;

    @Option(names = "--persistence", defaultValue = "3", description = "consecutive windows above the threshold that raise the alarm")
    private int persistence;

    @Option(names = "--seed", defaultValue = "42", description = "seed of data split and models")
    private long seed;

    @Override
    public Integer call() throws Exception {
        if (!List.of("both", "simulated", "cmapss").contains(part)) {
            throw new IllegalArgumentException("--part must be both, simulated or cmapss, but was '" + part + "'");
        }
        if (unseen < 1 || unseen >= devices) {
            throw new IllegalArgumentException("--unseen must be in [1, --devices), but was " + unseen);
        }
        if (days < 2 || epochs < 1 || early < 31 || holdout < 1 || persistence < 1) {
            throw new IllegalArgumentException("--days must be >= 2, --epochs >= 1, --early > 30, --holdout >= 1 and"
                    + " --persistence >= 1, but were " + days + ", " + epochs + ", " + early + ", " + holdout + ", "
                    + persistence);
        }
        // The builder checks the percentile; building one now rejects a bad value before any work.
        AnomalyDetector.builder(Cmapss.schema()).thresholdPercentile(percentile);
        PrintStream out = cli.out();
        MlSupport.quietOffline();
        if (!part.equals("cmapss")) {
            simulated(out);
        }
        if (!part.equals("simulated")) {
            cmapss(out);
        }
        return 0;
    }

    /**
     * The demo's step: the simulated comparison on a small fleet (8 motors, 10 days, 3 epochs), in seconds
     * rather than the minute of the defaults.
     */
    static void demoStep(PrintStream out, long seed) {
        AnomalyCommand c = new AnomalyCommand();
        c.devices = 8;
        c.unseen = 2;
        c.days = 10;
        c.epochs = 3;
        c.percentile = 99;
        c.seed = seed;
        MlSupport.quietOffline();
        c.simulated(out);
    }

    private void simulated(PrintStream out) {
        long t0 = System.nanoTime();
        Fleet fleet = Fleet.builder().devices(devices).seed(seed).failureProbability(0.3).interval(Duration.ofMinutes(10))
                .start(Instant.parse("2025-05-01T00:00:00Z")).build();
        TrainingSet all = TrainingSet.of(fleet.history(Duration.ofDays(days)).toList(), fleet.events());
        List<String> ids = all.deviceIds();
        TrainingSet trainSet = all.devices(ids.subList(0, ids.size() - unseen));
        TrainingSet unseenSet = all.devices(ids.subList(ids.size() - unseen, ids.size()));
        SensorSchema schema = SensorSchema.industrialMotor();
        out.printf("Simulated motors: %d devices x %d days, %d failures; training on %d devices, evaluating %d unseen %s%n",
                devices, days, all.failureCount(), ids.size() - unseen, unseen, unseenSet.deviceIds());
        double aeAuc;
        double lstmAuc;
        try (AnomalyDetector ae = AnomalyDetector.builder(schema).sequenceLength(36).horizon(36).stride(3).hiddenSize(32)
                .epochs(epochs).batchSize(128).thresholdPercentile(percentile).seed(seed).build();
             LstmPredictor lstm = LstmPredictor.builder(schema).sequenceLength(36).horizon(36).stride(3).layers(32, 16)
                     .dropout(0.2).epochs(epochs).batchSize(128).earlyStoppingPatience(4).rollingFeatures(6)
                     .slopeFeatures(6).seed(seed).build()) {
            long a0 = System.nanoTime();
            ae.train(trainSet);
            aeAuc = AnomalyEvaluation.rocAuc(ae, unseenSet, 3);
            long a1 = System.nanoTime();
            lstm.train(trainSet);
            lstmAuc = lstm.evaluateClassification(unseenSet).rocAuc();
            long a2 = System.nanoTime();
            out.printf("  ROC-AUC for \"failure within 36 steps\" on every window of the unseen devices:%n");
            out.printf("    autoencoder (no labels used, trained on normal windows)  %.3f   (%.0f s)%n", aeAuc,
                    (a1 - a0) / 1e9);
            out.printf("    supervised LSTM (labels from failure events)              %.3f   (%.0f s)%n", lstmAuc,
                    (a2 - a1) / 1e9);
        }
        out.printf("  simulated part: %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private void cmapss(PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        Path file = train != null ? train : DATA.resolve("train_FD001.txt");
        Cmapss.Training training = Cmapss.readTraining(file, "hpc_degradation");
        TrainingSet all = training.toTrainingSet();
        if (holdout >= all.deviceIds().size()) {
            throw new IllegalArgumentException("--holdout must be below the " + all.deviceIds().size()
                    + " training engines, but was " + holdout);
        }
        CmapssEvaluation.Split split = CmapssEvaluation.holdOut(all.deviceIds(), holdout, seed);
        List<SensorReading> earlyReadings = AnomalyEvaluation.earlyLife(training.readings().stream()
                .filter(r -> split.kept().contains(r.deviceId())).toList(), early);
        TrainingSet earlySet = TrainingSet.of(earlyReadings, List.of());
        out.printf("C-MAPSS %s: training on the first %d cycles of %d engines (%d readings, no failure seen),"
                + " evaluating %d held-out engines run to failure%n", file.getFileName(), early, split.kept().size(),
                earlyReadings.size(), split.held().size());
        try (AnomalyDetector ae = AnomalyDetector.builder(Cmapss.schema()).sequenceLength(30).horizon(30).stride(1)
                .hiddenSize(32).epochs(epochs).batchSize(128).thresholdPercentile(percentile).seed(seed).build()) {
            ae.train(earlySet);
            AnomalyEvaluation.LeadTimes lt = AnomalyEvaluation.leadTimes(ae, all.devices(split.held()), early, persistence);
            out.printf("  alarm = %d consecutive windows (30 cycles) at or above the threshold (p%.0f of healthy scores)"
                    + " after cycle %d%n", persistence, percentile, early);
            out.printf("  engines alarmed before failure: %d of %d%n", lt.detected(), lt.devices());
            out.printf("  median lead time: %.0f cycles before failure (min %.0f, max %.0f)%n", lt.medianLeadTime(),
                    lt.leadTimes().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    lt.leadTimes().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
            out.printf("  false-alarm rate on early-life windows of the held-out engines: %.3f (%d windows)%n",
                    lt.falseAlarmRate(), lt.earlyWindows());
            out.printf("  ROC-AUC for \"failure within 30 cycles\" on every window of the held-out engines: %.3f%n",
                    AnomalyEvaluation.rocAuc(ae, all.devices(split.held()), 1));
        }
        out.printf("  C-MAPSS part: %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
