package io.iotpm.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.RmsProp;
import ai.djl.training.optimizer.Sgd;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor.ClassWeighting;
import io.iotpm.ml.LstmPredictor.ScalerType;
import io.iotpm.ml.LstmPredictor.Schedule;
import io.iotpm.ml.LstmPredictor.Task;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.PlattScaling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training procedure of {@link LstmPredictor}, one instance per {@code train} call: split the
 * devices, cut and label windows, fit the features, run the epochs with early stopping and a
 * learning-rate schedule, keep the best weights, pick the decision threshold on validation.
 */
final class LstmTraining {

    private static final Logger LOG = LoggerFactory.getLogger(LstmTraining.class);

    private final LstmConfig cfg;
    private final TrainingSet data;
    private final TrainingListener listener;

    LstmTraining(LstmConfig cfg, TrainingSet data, TrainingListener listener) {
        this.cfg = cfg;
        this.data = data;
        this.listener = listener;
    }

    /** Trains; the returned model owns native memory its caller must close. */
    LstmModel run() {
        long t0 = System.nanoTime();
        boolean regression = cfg.task() == Task.RUL_REGRESSION;
        SensorSchema schema = data.schema();
        int len = cfg.sequenceLength();

        // Split devices, stratified by "has a failure", with the seed.
        List<String> withFailure = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (TrainingSet.Series s : data.series()) {
            (s.failures().isEmpty() ? without : withFailure).add(s.deviceId());
        }
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        shuffle(withFailure, rnd);
        shuffle(without, rnd);
        List<String> valDevices = new ArrayList<>();
        List<String> trainDevices = new ArrayList<>();
        split(withFailure, cfg.validationFraction(), trainDevices, valDevices);
        split(without, cfg.validationFraction(), trainDevices, valDevices);
        trainDevices.sort(null);
        valDevices.sort(null);

        TrainingSet trainSet = data.devices(trainDevices);
        List<Windows.Window> trainW = cut(trainSet, regression);
        List<Windows.Window> valW = valDevices.isEmpty() ? List.of() : cut(data.devices(valDevices), regression);
        if (trainW.isEmpty()) {
            throw new IllegalArgumentException("the training devices yield no labelled window of " + len
                    + " readings (devices need at least sequenceLength readings and a known label)");
        }

        FeaturePipeline pipeline = unfittedPipeline(schema, trainSet, trainW, regression);
        int f = pipeline.featureCount();
        float[] xTrain = features(pipeline, trainW);
        pipeline = pipeline.fit(xTrain, trainW.size() * len, cfg.scaler() == ScalerType.Z_SCORE);
        pipeline.scale(xTrain, 0, trainW.size() * len);
        float[] xVal = features(pipeline, valW);
        pipeline.scale(xVal, 0, valW.size() * len);

        double outputScale = 1;
        if (regression) {
            outputScale = cfg.rulCap() > 0 ? cfg.rulCap()
                    : Math.max(1, trainW.stream().mapToDouble(Windows.Window::rul).max().orElse(1));
        }
        float[] yTrain = targets(trainW, regression, outputScale);
        float[] yVal = targets(valW, regression, outputScale);
        float[] wTrain = weights(trainW, trainW, regression);
        float[] wVal = weights(valW, trainW, regression);

        LOG.debug("training on {} windows of {} devices, validating on {} windows of {} devices, {} features",
                trainW.size(), trainDevices.size(), valW.size(), valDevices.size(), f);

        Network net = LstmModel.network(cfg, f);
        MutableTracker lr = new MutableTracker((float) cfg.learningRate());
        List<TrainingReport.Epoch> epochs = new ArrayList<>();
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        byte[] best = null;
        try (Model model = Model.newInstance("iotpm-lstm", LstmModel.ENGINE)) {
            SequentialBlock block = net.block();
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(optimizer(lr))
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(cfg.batchSize(), len, f));
                net.randomize(block, cfg.seed());
                Engine.getEngine(LstmModel.ENGINE).setRandomSeed((int) (cfg.seed() ^ (cfg.seed() >>> 32)));
                int n = trainW.size();
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
                int sinceBest = 0;
                int sincePlateauCut = 0;
                for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                    long e0 = System.nanoTime();
                    lr.set((float) scheduledRate(epoch, lr.get()));
                    shuffle(order, rnd);
                    double lossSum = 0;
                    float[] bx = new float[cfg.batchSize() * len * f];
                    float[] by = new float[cfg.batchSize()];
                    float[] bw = new float[cfg.batchSize()];
                    for (int b = 0; b < batches; b++) {
                        int from = b * cfg.batchSize();
                        int m = Math.min(cfg.batchSize(), n - from);
                        for (int i = 0; i < m; i++) {
                            int k = order[from + i];
                            System.arraycopy(xTrain, k * len * f, bx, i * len * f, len * f);
                            by[i] = yTrain[k];
                            bw[i] = wTrain[k];
                        }
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray x = bm.create(Arrays.copyOf(bx, m * len * f), new Shape(m, len, f));
                            NDArray y = bm.create(Arrays.copyOf(by, m));
                            NDArray w = bm.create(Arrays.copyOf(bw, m));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow().reshape(m);
                                NDArray loss = loss(out, y, w, regression);
                                gc.backward(loss);
                                lossSum += loss.getFloat() * m;
                            }
                            trainer.step();
                        }
                        listener.onBatch(epoch, b + 1, batches);
                    }
                    double trainLoss = lossSum / n;
                    double valLoss = Double.NaN;
                    double valMetric = Double.NaN;
                    if (!valW.isEmpty()) {
                        float[] out = evalForward(trainer, block, xVal, valW.size(), len, f);
                        valLoss = lossOf(out, yVal, wVal, regression);
                        valMetric = metric(out, valW, regression, outputScale);
                    }
                    TrainingReport.Epoch stats = new TrainingReport.Epoch(epoch, trainLoss, valLoss, valMetric,
                            lr.get(), Duration.ofNanos(System.nanoTime() - e0));
                    epochs.add(stats);
                    listener.onEpoch(stats, cfg.epochs());
                    double monitored = valW.isEmpty() ? trainLoss : valLoss;
                    if (monitored < bestLoss - 1e-7 || best == null) {
                        bestLoss = monitored;
                        bestEpoch = epoch;
                        best = snapshot(block);
                        sinceBest = 0;
                        sincePlateauCut = 0;
                    } else {
                        sinceBest++;
                        sincePlateauCut++;
                        if (cfg.schedule() == Schedule.PLATEAU && sincePlateauCut >= cfg.scheduleEvery()) {
                            lr.set((float) Math.max(cfg.learningRate() * 1e-3, lr.get() * cfg.scheduleFactor()));
                            sincePlateauCut = 0;
                        }
                        if (cfg.earlyStoppingPatience() > 0 && sinceBest >= cfg.earlyStoppingPatience()) {
                            break;
                        }
                    }
                }
            }
        }

        LstmModel provisional = LstmModel.inference(cfg, pipeline, best, outputScale, 0.5, PlattScaling.IDENTITY,
                Map.of(), null);
        try {
            Validation.Result v = Validation.run(cfg, provisional, xVal, valW);
            TrainingReport report = new TrainingReport(epochs, bestEpoch,
                    Duration.ofNanos(System.nanoTime() - t0), trainW.size(), valW.size(), trainDevices,
                    valDevices, v.threshold(), v.metrics());
            return provisional.withValidation(v.threshold(), v.calibration(), v.metrics(), report);
        } catch (RuntimeException e) {
            provisional.manager().close();
            throw e;
        }
    }

    private List<Windows.Window> cut(TrainingSet set, boolean regression) {
        List<Windows.Window> out = new ArrayList<>();
        for (TrainingSet.Series s : set.series()) {
            out.addAll(Windows.cut(s, cfg, regression));
        }
        return out;
    }

    private FeaturePipeline unfittedPipeline(SensorSchema schema, TrainingSet trainSet, List<Windows.Window> trainW,
                                             boolean regression) {
        List<Integer> idx = new ArrayList<>();
        if (cfg.channels() == null) {
            for (int i = 0; i < schema.size(); i++) {
                idx.add(i);
            }
        } else {
            for (String name : cfg.channels()) {
                idx.add(schema.requireIndex(name));
            }
        }
        if (cfg.dropConstantChannels()) {
            int c = schema.size();
            double[] min = new double[c];
            double[] max = new double[c];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (TrainingSet.Series s : trainSet.series()) {
                double[] v = s.values();
                for (int i = 0; i < v.length; i++) {
                    min[i % c] = Math.min(min[i % c], v[i]);
                    max[i % c] = Math.max(max[i % c], v[i]);
                }
            }
            idx.removeIf(i -> !(max[i] - min[i] > 1e-9 * Math.max(1, Math.abs(max[i]))));
        }
        if (cfg.minTargetCorrelation() > 0) {
            double[] r = targetCorrelations(schema.size(), trainW, regression);
            idx.removeIf(i -> !(Math.abs(r[i]) >= cfg.minTargetCorrelation()));
            if (idx.isEmpty()) {
                throw new IllegalArgumentException("no channel reaches minTargetCorrelation "
                        + cfg.minTargetCorrelation() + " on the training devices; correlations were "
                        + Arrays.toString(r));
            }
        }
        boolean vib = cfg.compositeChannels() && FeaturePipeline.hasVibration(schema);
        boolean pow = cfg.compositeChannels() && FeaturePipeline.hasPower(schema);
        return new FeaturePipeline(schema, idx.stream().mapToInt(Integer::intValue).toArray(), vib, pow,
                cfg.rollingWindow(), cfg.slopeWindow(), cfg.smoothing(), new float[0], new float[0]);
    }

    private float[] features(FeaturePipeline p, List<Windows.Window> ws) {
        int len = cfg.sequenceLength();
        int f = p.featureCount();
        int c = p.schema().size();
        float[] x = new float[ws.size() * len * f];
        double[] raw = new double[len * c];
        for (int i = 0; i < ws.size(); i++) {
            Windows.Window w = ws.get(i);
            Windows.copyPadded(w.series().values(), c, w.end(), len, raw, 0);
            p.unscaled(raw, len, x, i * len * f);
        }
        return x;
    }

    private static float[] targets(List<Windows.Window> ws, boolean regression, double scale) {
        float[] y = new float[ws.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = regression ? (float) (ws.get(i).rul() / scale) : (ws.get(i).label() ? 1f : 0f);
        }
        return y;
    }

    private float[] weights(List<Windows.Window> ws, List<Windows.Window> train, boolean regression) {
        float[] w = new float[ws.size()];
        Arrays.fill(w, 1f);
        if (regression || cfg.classWeighting() == ClassWeighting.NONE) {
            return w;
        }
        long pos = train.stream().filter(Windows.Window::label).count();
        long neg = train.size() - pos;
        if (pos == 0 || neg == 0) {
            return w;
        }
        // Both classes weigh half of the total; the mean weight over the training set stays 1.
        float wPos = (float) (train.size() / (2.0 * pos));
        float wNeg = (float) (train.size() / (2.0 * neg));
        for (int i = 0; i < w.length; i++) {
            w[i] = ws.get(i).label() ? wPos : wNeg;
        }
        return w;
    }

    static boolean[] labels(List<Windows.Window> ws) {
        boolean[] a = new boolean[ws.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ws.get(i).label();
        }
        return a;
    }

    private Optimizer optimizer(MutableTracker lr) {
        Optimizer.OptimizerBuilder<?> b = switch (cfg.optimizer()) {
            case ADAM -> Optimizer.adam().optLearningRateTracker(lr);
            case RMSPROP -> Optimizer.rmsprop().optLearningRateTracker(lr);
            case SGD -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(0.9f);
        };
        if (cfg.gradientClip() > 0) {
            b.optClipGrad((float) cfg.gradientClip());
        }
        return switch (cfg.optimizer()) {
            case ADAM -> ((Adam.Builder) b).build();
            case RMSPROP -> ((RmsProp.Builder) b).build();
            case SGD -> ((Sgd.Builder) b).build();
        };
    }

    private double scheduledRate(int epoch, double current) {
        double base = cfg.learningRate();
        return switch (cfg.schedule()) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(cfg.scheduleFactor(), (epoch - 1) / cfg.scheduleEvery());
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / cfg.epochs()));
            case PLATEAU -> epoch == 1 ? base : current;
        };
    }

    /** Mean weighted loss: BCE on logits (stable form) or squared error. */
    private static NDArray loss(NDArray out, NDArray y, NDArray w, boolean regression) {
        NDArray per;
        if (regression) {
            per = out.sub(y).square();
        } else {
            // softplus(z) - y·z = max(z, 0) - y·z + log(1 + exp(-|z|))
            per = out.maximum(0).sub(out.mul(y)).add(out.abs().neg().exp().add(1).log());
        }
        return per.mul(w).mean();
    }

    private static double lossOf(float[] out, float[] y, float[] w, boolean regression) {
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            double z = out[i];
            double per = regression ? (z - y[i]) * (z - y[i])
                    : Math.max(z, 0) - y[i] * z + Math.log1p(Math.exp(-Math.abs(z)));
            s += per * w[i];
        }
        return s / out.length;
    }

    private static double metric(float[] out, List<Windows.Window> ws, boolean regression, double scale) {
        if (regression) {
            double se = 0;
            for (int i = 0; i < out.length; i++) {
                double d = Math.max(0, out[i] * scale) - ws.get(i).rul();
                se += d * d;
            }
            return Math.sqrt(se / out.length);
        }
        double[] p = new double[out.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = out[i];
        }
        return Evaluation.rocAuc(labels(ws), p);
    }

    /** Raw network outputs (logits or scaled RUL) for validation, without dropout. */
    private static float[] evalForward(Trainer trainer, Block block, float[] x, int n, int len, int f) {
        float[] out = new float[n];
        int chunk = 1024;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            try (NDManager bm = trainer.getManager().newSubManager()) {
                NDArray in = bm.create(Arrays.copyOfRange(x, from * len * f, (from + m) * len * f), new Shape(m, len, f));
                float[] y = block.forward(new ParameterStore(bm, false), new NDList(in), false)
                        .singletonOrThrow().toFloatArray();
                System.arraycopy(y, 0, out, from, m);
            }
        }
        return out;
    }

    private static byte[] snapshot(Block block) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void split(List<String> ids, double fraction, List<String> train, List<String> val) {
        int v = (int) Math.round(ids.size() * fraction);
        if (fraction > 0 && v == 0 && ids.size() >= 2) {
            v = 1;
        }
        val.addAll(ids.subList(0, v));
        train.addAll(ids.subList(v, ids.size()));
    }

    private static void shuffle(List<String> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Pearson correlation of each raw channel's last window reading with the training target
     * (the label, or the capped RUL), over the training windows; NaN for a constant channel.
     */
    static double[] targetCorrelations(int c, List<Windows.Window> ws, boolean regression) {
        double[] sx = new double[c];
        double[] sxx = new double[c];
        double[] sxy = new double[c];
        double sy = 0;
        double syy = 0;
        int n = ws.size();
        for (Windows.Window w : ws) {
            double y = regression ? w.rul() : (w.label() ? 1 : 0);
            sy += y;
            syy += y * y;
            double[] v = w.series().values();
            for (int j = 0; j < c; j++) {
                double x = v[w.end() * c + j];
                sx[j] += x;
                sxx[j] += x * x;
                sxy[j] += x * y;
            }
        }
        double[] r = new double[c];
        double vy = syy - sy * sy / n;
        for (int j = 0; j < c; j++) {
            double vx = sxx[j] - sx[j] * sx[j] / n;
            double cov = sxy[j] - sx[j] * sy / n;
            // A spread below rounding noise of the sums counts as constant.
            r[j] = vx > 1e-12 * Math.max(1, sxx[j]) && vy > 0 ? cov / Math.sqrt(vx * vy) : Double.NaN;
        }
        return r;
    }
}
