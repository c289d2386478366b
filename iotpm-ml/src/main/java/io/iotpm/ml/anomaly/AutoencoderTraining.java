package io.iotpm.ml.anomaly;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.Evaluation;
import io.iotpm.ml.LabelledWindow;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.internal.FeaturePipeline;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The training procedure of {@link AnomalyDetector}, one instance per {@code train} call: hold out
 * devices, keep the windows of normal operation (no failure within the horizon, not during a
 * failure's down time), fit the z-score scaler, minimise the mean squared reconstruction error with
 * early stopping, then set the threshold at the configured percentile of the held-out healthy scores.
 */
final class AutoencoderTraining {

    private final AutoencoderConfig cfg;
    private final TrainingSet data;
    private final TrainingListener listener;

    AutoencoderTraining(AutoencoderConfig cfg, TrainingSet data, TrainingListener listener) {
        this.cfg = cfg;
        this.data = data;
        this.listener = listener;
    }

    /** Trains; the returned model owns native memory its caller must close. */
    AutoencoderModel run() {
        long t0 = System.nanoTime();
        int len = cfg.sequenceLength();
        SensorSchema schema = data.schema();
        List<LabelledWindow> all = data.windows(len, cfg.stride(), cfg.horizon());
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        List<String> ids = new ArrayList<>(data.deviceIds());
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            ids.set(j, ids.set(i, ids.get(j)));
        }
        int v = (int) Math.round(ids.size() * cfg.validationFraction());
        if (v == 0 && ids.size() >= 2) {
            v = 1;
        }
        Set<String> valDevices = new HashSet<>(ids.subList(0, v));
        List<LabelledWindow> train = new ArrayList<>();
        List<LabelledWindow> val = new ArrayList<>();
        List<LabelledWindow> valAll = new ArrayList<>();
        for (LabelledWindow w : all) {
            boolean isVal = valDevices.contains(w.deviceId());
            if (isVal) {
                valAll.add(w);
            }
            if (!w.failureWithinHorizon()) {
                (isVal ? val : train).add(w);
            }
        }
        if (valDevices.isEmpty()) {
            // One device: hold out its latest windows, after a gap so no reading is in both parts.
            int cut = train.size() - Math.max(1, (int) Math.round(train.size() * Math.max(0.1, cfg.validationFraction())));
            val = new ArrayList<>(train.subList(Math.max(0, cut), train.size()));
            valAll = val;
            train = new ArrayList<>(train.subList(0, Math.max(0, cut - len / cfg.stride())));
        }
        if (train.isEmpty() || val.isEmpty()) {
            throw new IllegalArgumentException("the data yields " + train.size() + " training and " + val.size()
                    + " validation windows of normal operation of " + len + " readings; both need at least one"
                    + " (devices need sequenceLength + horizon readings outside failures)");
        }

        int[] channels = new int[schema.size()];
        Arrays.setAll(channels, i -> i);
        FeaturePipeline pipeline = new FeaturePipeline(schema, channels, false, false, 0, 0, new float[0], new float[0]);
        float[] xTrain = features(pipeline, train);
        pipeline = pipeline.fit(xTrain, train.size() * len, true);
        pipeline.scale(xTrain, 0, train.size() * len);
        float[] xVal = features(pipeline, val);
        pipeline.scale(xVal, 0, val.size() * len);
        int f = pipeline.featureCount();

        AutoencoderNetwork net = new AutoencoderNetwork(f, cfg.hiddenSize(), len);
        List<TrainingReport.Epoch> epochs = new ArrayList<>();
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        byte[] best = null;
        try (Model model = Model.newInstance("iotpm-autoencoder", AutoencoderModel.ENGINE)) {
            SequentialBlock block = net.block();
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) cfg.learningRate()))
                            .build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(net.inputShape(cfg.batchSize()));
                net.randomize(block, cfg.seed());
                int n = train.size();
                int[] order = new int[n];
                Arrays.setAll(order, i -> i);
                int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
                int window = len * f;
                int sinceBest = 0;
                for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                    long e0 = System.nanoTime();
                    for (int i = n - 1; i > 0; i--) {
                        int j = rnd.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    double lossSum = 0;
                    for (int b = 0; b < batches; b++) {
                        int from = b * cfg.batchSize();
                        int m = Math.min(cfg.batchSize(), n - from);
                        float[] bx = new float[m * window];
                        for (int i = 0; i < m; i++) {
                            System.arraycopy(xTrain, order[from + i] * window, bx, i * window, window);
                        }
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray x = bm.create(bx, net.inputShape(m));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                                NDArray loss = out.sub(x).square().mean();
                                gc.backward(loss);
                                lossSum += loss.getFloat() * m;
                            }
                            trainer.step();
                        }
                        listener.onBatch(epoch, b + 1, batches);
                    }
                    byte[] params = snapshot(block);
                    double valLoss = meanScore(AutoencoderModel.inference(cfg, pipeline, params, 1, 0, Map.of(), null),
                            xVal, val.size());
                    TrainingReport.Epoch stats = new TrainingReport.Epoch(epoch, lossSum / n, valLoss, Double.NaN,
                            cfg.learningRate(), Duration.ofNanos(System.nanoTime() - e0));
                    epochs.add(stats);
                    listener.onEpoch(stats, cfg.epochs());
                    if (valLoss < bestLoss - 1e-7 || best == null) {
                        bestLoss = valLoss;
                        bestEpoch = epoch;
                        best = params;
                        sinceBest = 0;
                    } else if (cfg.earlyStoppingPatience() > 0 && ++sinceBest >= cfg.earlyStoppingPatience()) {
                        break;
                    }
                }
            }
        }
        return finish(pipeline, best, xVal, val, valAll, epochs, bestEpoch, t0, train.size(),
                ids.stream().filter(id -> !valDevices.contains(id)).sorted().toList(),
                valDevices.stream().sorted().toList());
    }

    private AutoencoderModel finish(FeaturePipeline pipeline, byte[] best, float[] xVal, List<LabelledWindow> val,
                                    List<LabelledWindow> valAll, List<TrainingReport.Epoch> epochs, int bestEpoch,
                                    long t0, int trainWindows, List<String> trainDevices, List<String> valDevices) {
        AutoencoderModel provisional = AutoencoderModel.inference(cfg, pipeline, best, 1, 0, Map.of(), null);
        try {
            int f = pipeline.featureCount();
            float[] err = provisional.errorsScaled(xVal, val.size());
            double[] healthy = new double[val.size()];
            for (int i = 0; i < healthy.length; i++) {
                healthy[i] = AutoencoderModel.score(err, i * f, f);
            }
            Arrays.sort(healthy);
            double threshold = percentile(healthy, cfg.thresholdPercentile());
            double median = percentile(healthy, 50);
            if (!(threshold > 0)) {
                // A perfect reconstruction of every healthy window: any error at all is then abnormal.
                threshold = Math.ulp(1f);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("validation_loss", Arrays.stream(healthy).average().orElse(Double.NaN));
            metrics.put("threshold", threshold);
            metrics.put("healthy_median", median);
            if (valAll.stream().anyMatch(LabelledWindow::failureWithinHorizon)) {
                double[] scores = AnomalyDetector.scores(provisional, valAll);
                boolean[] actual = new boolean[valAll.size()];
                for (int i = 0; i < actual.length; i++) {
                    actual[i] = valAll.get(i).failureWithinHorizon();
                }
                metrics.put("roc_auc", Evaluation.rocAuc(actual, scores));
            }
            metrics.values().removeIf(x -> Double.isNaN(x));
            TrainingReport report = new TrainingReport(epochs, bestEpoch, Duration.ofNanos(System.nanoTime() - t0),
                    trainWindows, val.size(), trainDevices, valDevices, threshold, metrics);
            AutoencoderModel m = AutoencoderModel.inference(cfg, pipeline, best, threshold, median, metrics, report);
            provisional.manager().close();
            return m;
        } catch (RuntimeException e) {
            provisional.manager().close();
            throw e;
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int k = (int) Math.ceil(q / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    private static double meanScore(AutoencoderModel m, float[] x, int n) {
        try {
            float[] err = m.errorsScaled(x, n);
            double s = 0;
            for (float e : err) {
                s += e;
            }
            return s / err.length;
        } finally {
            m.manager().close();
        }
    }

    private float[] features(FeaturePipeline p, List<LabelledWindow> ws) {
        int len = cfg.sequenceLength();
        int f = p.featureCount();
        float[] x = new float[ws.size() * len * f];
        double[] raw = new double[len * p.schema().size()];
        for (int i = 0; i < ws.size(); i++) {
            ws.get(i).copyValuesTo(raw, 0);
            p.unscaled(raw, len, x, i * len * f);
        }
        return x;
    }

    private static byte[] snapshot(SequentialBlock block) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
