package io.iotpm.ml;

import ai.djl.Device;
import ai.djl.MalformedModelException;
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
import ai.djl.training.optimizer.Optimizer;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.LstmWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A stacked-LSTM failure predictor trained and served with DJL's PyTorch engine.
 *
 * <pre>{@code
 * LstmPredictor lstm = LstmPredictor.builder(schema)
 *     .sequenceLength(60).horizon(10).layers(100, 50).dropout(0.2)
 *     .epochs(50).batchSize(200).earlyStoppingPatience(10).seed(42)
 *     .build();
 * TrainingReport report = lstm.train(TrainingSet.of(readings, events), listener);
 * Prediction p = lstm.predict("PUMP_001", lastReadings);
 * lstm.save(dir);                       // later: Predictors.load(dir)
 * }</pre>
 *
 * <p><b>Data path.</b> Windows of {@code sequenceLength} readings (every {@code stride}-th end) are
 * labelled from the failure events: "a failure within the next {@code horizon} steps"
 * ({@link Task#CLASSIFICATION}) or the remaining useful life in steps, capped at {@code rulCap}
 * ({@link Task#RUL_REGRESSION}). Features (selected raw channels, composite channels, rolling
 * mean/std, slope) are computed in Java by a {@link FeaturePipeline} and scaled with min-max or
 * z-score statistics fitted on the training devices only. A fraction of the devices (never of the
 * rows: windows of one device overlap) is held out for early stopping, the decision threshold
 * (best F1) and the reported validation metrics; devices with and without failures are split
 * separately so both sides see failures.
 *
 * <p><b>Network.</b> One DJL {@code LSTM} block per layer, dropout after each, the last time step,
 * optional ReLU dense layers, one linear output (a logit, or RUL divided by the cap). Classification
 * uses a binary cross-entropy weighted for class imbalance ({@link ClassWeighting#BALANCED}),
 * regression the mean squared error. The weights of the epoch with the lowest validation loss are
 * restored at the end.
 *
 * <p><b>Threads.</b> {@link #predict} and {@link #predictBatch} may be called from many threads;
 * {@link #predictBatch} runs one forward pass for the whole batch. {@link #train} and {@link #close}
 * wait for running predictions. PyTorch's intra-op thread count is process-wide: set the system
 * property {@code ai.djl.pytorch.num_threads} before the engine loads.
 *
 * <p><b>Determinism.</b> The same data, settings and seed give the same weights and predictions:
 * initial weights and batch order come from the seed, not from the engine. Dropout masks come from
 * PyTorch's process-global generator, which {@code train} seeds; trainings therefore hold a
 * JVM-wide lock while they run. Bitwise equality holds for the same machine and thread count;
 * PyTorch does not promise it across CPUs or library versions.
 */
public final class LstmPredictor implements Predictor {

    /** What the network learns. */
    public enum Task {
        /** Probability of a failure within the next {@code horizon} steps. */
        CLASSIFICATION,
        /** Remaining useful life in steps (capped at {@code rulCap} when set). */
        RUL_REGRESSION
    }

    /** Gradient-descent flavour. */
    public enum OptimizerType { ADAM, RMSPROP, SGD }

    /** Learning-rate schedule, applied per epoch. */
    public enum Schedule {
        /** The learning rate throughout. */
        CONSTANT,
        /** Multiplied by {@code factor} every {@code every} epochs. */
        STEP,
        /** Cosine decay from the learning rate towards zero over the configured epochs. */
        COSINE,
        /** Multiplied by {@code factor} after {@code every} epochs without a better validation loss (Keras' ReduceLROnPlateau). */
        PLATEAU
    }

    /** Feature scaling, fitted on training devices only. */
    public enum ScalerType {
        /** To {@code [0, 1]} over the training range. */
        MIN_MAX,
        /** To zero mean and unit variance. */
        Z_SCORE
    }

    /** How the rarer failure windows are weighted in the classification loss. */
    public enum ClassWeighting {
        /** Every window counts the same. */
        NONE,
        /** Positive windows weigh {@code negatives / positives}, so both classes count the same in total. */
        BALANCED
    }

    /** Default window length (the original system's 60 steps). */
    public static final int DEFAULT_SEQUENCE_LENGTH = 60;
    /** Default horizon (the original system's 10 steps ahead). */
    public static final int DEFAULT_HORIZON = 10;
    /** Default LSTM layer sizes. */
    static final int[] DEFAULT_LAYERS = {100, 50};
    /** Default risk thresholds on the failure probability: MEDIUM, HIGH, CRITICAL from these on. */
    static final double[] DEFAULT_RISK_THRESHOLDS = {0.3, 0.6, 0.8};

    private static final Logger LOG = LoggerFactory.getLogger(LstmPredictor.class);
    static final String ENGINE = "PyTorch";
    /** PyTorch's random generator (dropout masks) is process-global: trainings take turns. */
    private static final Object ENGINE_RNG = new Object();
    private static final int MAX_FORWARD_BATCH = 4096;

    private final SensorSchema schema;
    private final LstmConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Trained trained;
    private boolean closed;

    /** The trained state: features, network on its own manager, threshold. */
    record Trained(FeaturePipeline pipeline, NDManager manager, Block block, Network network, byte[] parameters,
                   double outputScale, double threshold, String version, Map<String, Double> metrics,
                   TrainingReport report) {
    }

    LstmPredictor(SensorSchema schema, LstmConfig config) {
        this.schema = schema;
        this.config = config;
    }

    /**
     * Starts a predictor for readings of {@code schema}.
     *
     * @param schema the channels of the readings it will learn from and predict for
     * @return a builder with the defaults documented on its setters
     */
    public static Builder builder(SensorSchema schema) {
        return new Builder(schema);
    }

    @Override
    public SensorSchema schema() {
        return schema;
    }

    @Override
    public int sequenceLength() {
        return config.sequenceLength();
    }

    /** @return what the network learns */
    public Task task() {
        return config.task();
    }

    /** @return the horizon in steps */
    public int horizon() {
        return config.horizon();
    }

    /** @return whether the predictor has been trained (or loaded) */
    public boolean isTrained() {
        return trained != null;
    }

    /**
     * @return the decision threshold on the failure probability ({@code maintenanceNeeded} from it on)
     * @throws IllegalStateException before training
     */
    public double threshold() {
        return requireTrained().threshold();
    }

    /**
     * @return the model version: {@code lstm-} and the first 12 hex digits of the parameters' SHA-256
     * @throws IllegalStateException before training
     */
    public String version() {
        return requireTrained().version();
    }

    /** @return validation metrics of the trained model by name, empty before training */
    public Map<String, Double> metrics() {
        Trained t = trained;
        return t == null ? Map.of() : t.metrics();
    }

    /** @return the feature names the network sees, in order (known after training) */
    public List<String> featureNames() {
        return requireTrained().pipeline().featureNames();
    }

    /**
     * Trains the network, replacing any previous training.
     *
     * @param data     readings and events of devices of this predictor's schema
     * @param listener follows the progress; {@link TrainingListener#NONE} for none
     * @return what happened
     * @throws IllegalArgumentException if the data has another schema or yields no usable window
     * @throws IllegalStateException    if the predictor is closed
     */
    public TrainingReport train(TrainingSet data, TrainingListener listener) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(listener, "listener");
        if (!data.schema().equals(schema)) {
            throw new IllegalArgumentException("training data has schema '" + data.schema().name()
                    + "', but the predictor was built for '" + schema.name() + "'");
        }
        Trained t;
        synchronized (ENGINE_RNG) {
            t = new LstmTraining(this, config, data, listener).run();
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                t.manager().close();
                throw new IllegalStateException("predictor is closed");
            }
            Trained old = trained;
            trained = t;
            if (old != null) {
                old.manager().close();
            }
        } finally {
            lock.writeLock().unlock();
        }
        return t.report();
    }

    /**
     * Trains with no listener.
     *
     * @see #train(TrainingSet, TrainingListener)
     */
    public TrainingReport train(TrainingSet data) {
        return train(data, TrainingListener.NONE);
    }

    /** @return the report of the last training; null for a loaded model or before training */
    public TrainingReport report() {
        Trained t = trained;
        return t == null ? null : t.report();
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        return predictBatch(List.of(new DeviceWindow(deviceId, window))).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<DeviceWindow> windows) {
        Objects.requireNonNull(windows, "windows");
        // The read lock spans the whole call, so a concurrent train() or close() cannot free the
        // network between reading the state and the forward pass.
        lock.readLock().lock();
        try {
            return predictBatch(requireTrained(), windows);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<Prediction> predictBatch(Trained t, List<DeviceWindow> windows) {
        int n = windows.size();
        if (n == 0) {
            return List.of();
        }
        int len = config.sequenceLength();
        int c = schema.size();
        double[] raw = new double[n * len * c];
        for (int i = 0; i < n; i++) {
            fillRaw(windows.get(i), raw, i * len * c);
        }
        double[] out = forwardRaw(t, raw, n);
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DeviceWindow w = windows.get(i);
            predictions.add(toPrediction(t, w.deviceId(), w.readings().get(w.readings().size() - 1), out[i]));
        }
        return predictions;
    }

    private void fillRaw(DeviceWindow w, double[] raw, int at) {
        List<SensorReading> rs = w.readings();
        int len = config.sequenceLength();
        if (rs.size() < len) {
            throw new IllegalArgumentException("window of device '" + w.deviceId() + "' has " + rs.size()
                    + " readings, but the model needs at least " + len);
        }
        int c = schema.size();
        int from = rs.size() - len;
        for (int k = 0; k < len; k++) {
            SensorReading r = rs.get(from + k);
            if (!r.schema().equals(schema)) {
                throw new IllegalArgumentException("reading of device '" + w.deviceId() + "' at " + r.timestamp()
                        + " has schema '" + r.schema().name() + "' with " + r.schema().size()
                        + " channels, but the model expects schema '" + schema.name() + "' with " + c + " channels");
            }
            if (k > 0 && !r.timestamp().isAfter(rs.get(from + k - 1).timestamp())) {
                throw new IllegalArgumentException("window of device '" + w.deviceId()
                        + "' is not in time order at " + r.timestamp());
            }
            int o = at + k * c;
            r.copyValuesTo(raw, o);
            for (int j = 0; j < c; j++) {
                if (Double.isNaN(raw[o + j])) {
                    throw new IllegalArgumentException("window of device '" + w.deviceId() + "' has NaN in channel '"
                            + schema.channelName(j) + "' at " + r.timestamp());
                }
            }
        }
    }

    private Prediction toPrediction(Trained t, String deviceId, SensorReading last, double out) {
        double p;
        double rul;
        boolean needed;
        if (config.task() == Task.CLASSIFICATION) {
            p = out;
            rul = Double.NaN;
            needed = p >= t.threshold();
        } else {
            rul = out;
            p = rulProbability(rul);
            needed = rul <= config.horizon();
        }
        return new Prediction(deviceId, last.timestamp(), p, risk(p), needed, rul, t.version());
    }

    /**
     * For an RUL model, a failure score in {@code [0, 1]} that is 0.5 at the horizon and rises as the
     * estimated RUL falls: {@code sigmoid((horizon - rul) / s)}, {@code s = max(1, horizon / 5)}. It
     * orders devices like the RUL does; it is not a calibrated probability.
     */
    double rulProbability(double rul) {
        double s = Math.max(1, config.horizon() / 5.0);
        return 1 / (1 + Math.exp(-(config.horizon() - rul) / s));
    }

    RiskLevel risk(double p) {
        double[] r = config.riskThresholds();
        if (p >= r[2]) {
            return RiskLevel.CRITICAL;
        }
        if (p >= r[1]) {
            return RiskLevel.HIGH;
        }
        if (p >= r[0]) {
            return RiskLevel.MEDIUM;
        }
        return RiskLevel.LOW;
    }

    /** Features, scaling and one forward pass (in chunks) for {@code n} raw windows; returns probability or RUL. */
    double[] forwardRaw(Trained t, double[] raw, int n) {
        int len = config.sequenceLength();
        int c = schema.size();
        int f = t.pipeline().featureCount();
        double[] out = new double[n];
        for (int from = 0; from < n; from += MAX_FORWARD_BATCH) {
            int m = Math.min(MAX_FORWARD_BATCH, n - from);
            float[] x = new float[m * len * f];
            for (int i = 0; i < m; i++) {
                double[] one = Arrays.copyOfRange(raw, (from + i) * len * c, (from + i + 1) * len * c);
                t.pipeline().unscaled(one, len, x, i * len * f);
            }
            t.pipeline().scale(x, 0, m * len);
            double[] y = forwardScaled(t, x, m);
            System.arraycopy(y, 0, out, from, m);
        }
        return out;
    }

    /** One forward pass of {@code n} scaled windows; returns probability or RUL in steps. */
    double[] forwardScaled(Trained t, float[] x, int n) {
        float[] y;
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("predictor is closed");
            }
            try (NDManager m = t.manager().newSubManager()) {
                NDArray in = m.create(x, new Shape(n, config.sequenceLength(), t.pipeline().featureCount()));
                y = t.block().forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow()
                        .toFloatArray();
            }
        } finally {
            lock.readLock().unlock();
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = config.task() == Task.CLASSIFICATION
                    ? 1 / (1 + Math.exp(-y[i]))
                    : Math.max(0, y[i] * t.outputScale());
        }
        return out;
    }

    /**
     * Evaluates the model on labelled data (e.g. devices it never saw): every window the training
     * settings would cut, labelled from the events, classified at the model's threshold.
     *
     * @param data readings and events
     * @return classification metrics (for an RUL model, from its failure score and {@code rul <= horizon})
     * @throws IllegalArgumentException if the data yields no window
     */
    public ClassificationMetrics evaluateClassification(TrainingSet data) {
        Labelled l = labelled(data, false);
        boolean[] actual = new boolean[l.windows.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = l.windows.get(i).label();
        }
        double[] p = l.outputs;
        double threshold = requireTrained().threshold();
        if (config.task() == Task.RUL_REGRESSION) {
            p = Arrays.stream(p).map(this::rulProbability).toArray();
            threshold = 0.5;
        }
        return Evaluation.classification(actual, p, threshold);
    }

    /**
     * The ROC curve of the model on labelled data, from the same windows and scores as
     * {@link #evaluateClassification(TrainingSet)} (so it runs the model over the data once more).
     *
     * @param data      readings and events
     * @param maxPoints most points returned (see {@link Evaluation#rocCurve(boolean[], double[], int)})
     * @return the curve; empty when the data has windows of one class only
     * @throws IllegalArgumentException if the data yields no window or {@code maxPoints < 2}
     */
    public List<RocPoint> rocCurve(TrainingSet data, int maxPoints) {
        Labelled l = labelled(data, false);
        boolean[] actual = new boolean[l.windows.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = l.windows.get(i).label();
        }
        double[] p = l.outputs;
        if (config.task() == Task.RUL_REGRESSION) {
            p = Arrays.stream(p).map(this::rulProbability).toArray();
        }
        return Evaluation.rocCurve(actual, p, maxPoints);
    }

    /**
     * Evaluates an RUL model on labelled data.
     *
     * @param data readings and events
     * @return regression metrics against the (capped) RUL derived from the events
     * @throws IllegalStateException    if the model is a classifier
     * @throws IllegalArgumentException if the data yields no window
     */
    public RegressionMetrics evaluateRegression(TrainingSet data) {
        if (config.task() != Task.RUL_REGRESSION) {
            throw new IllegalStateException("the model is a classifier; it does not estimate remaining useful life");
        }
        Labelled l = labelled(data, true);
        double[] actual = l.windows.stream().mapToDouble(Windows.Window::rul).toArray();
        return Evaluation.regression(actual, l.outputs);
    }

    private record Labelled(List<Windows.Window> windows, double[] outputs) {
    }

    private Labelled labelled(TrainingSet data, boolean needRul) {
        lock.readLock().lock();
        try {
            return labelled(requireTrained(), data, needRul);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Labelled labelled(Trained t, TrainingSet data, boolean needRul) {
        if (!data.schema().equals(schema)) {
            throw new IllegalArgumentException("data has schema '" + data.schema().name() + "', but the model expects '"
                    + schema.name() + "'");
        }
        List<Windows.Window> ws = new ArrayList<>();
        for (TrainingSet.Series s : data.series()) {
            ws.addAll(Windows.cut(s, config.sequenceLength(), config.stride(), config.horizon(), config.rulCap(), needRul));
        }
        if (ws.isEmpty()) {
            throw new IllegalArgumentException("the data yields no labelled window of " + config.sequenceLength()
                    + " readings");
        }
        int len = config.sequenceLength();
        int c = schema.size();
        double[] raw = new double[ws.size() * len * c];
        for (int i = 0; i < ws.size(); i++) {
            Windows.Window w = ws.get(i);
            System.arraycopy(w.series().values(), (w.end() - len + 1) * c, raw, i * len * c, len * c);
        }
        return new Labelled(ws, forwardRaw(t, raw, ws.size()));
    }

    /**
     * The trained model in engine-neutral form, for another engine to serve (the
     * {@code iotpm-ml-tensorflow} module exports it as a TensorFlow SavedModel).
     * {@link LstmNetwork#forward(double[], int)} on a window gives the failure probability
     * (classification) or the RUL in steps (regression) that {@link #predict} reports.
     *
     * @return the weights, feature recipe and thresholds
     * @throws IllegalStateException before training, or when closed
     */
    public LstmNetwork network() {
        lock.readLock().lock();
        try {
            Trained t = requireTrained();
            if (closed) {
                throw new IllegalStateException("predictor is closed");
            }
            boolean classifier = config.task() == Task.CLASSIFICATION;
            LstmWeights w = t.network().weights(t.block(), classifier ? 1 : t.outputScale(),
                    classifier ? LstmWeights.Activation.SIGMOID : LstmWeights.Activation.RELU);
            FeaturePipeline p = t.pipeline();
            DerivedFeatures features = new DerivedFeatures(
                    Arrays.stream(p.channels()).mapToObj(schema::channelName).toList(),
                    p.vibrationMagnitude(), p.electricalPower(), p.rollingWindow(), p.slopeWindow(), p.offset(),
                    p.factor());
            return new LstmNetwork(t.version(), schema, config.sequenceLength(), p.featureNames(), features, w,
                    !classifier, config.horizon(), config.riskThresholds(), t.threshold());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The fitted feature pipeline in front of the network (for tests). */
    FeaturePipeline featurePipeline() {
        return requireTrained().pipeline();
    }

    /**
     * Writes the model to a folder: {@code model.params} (DJL parameters) and {@code model.json}
     * (schema, features, scaler, thresholds, hyper-parameters, metrics, library and format version).
     * Files are written to temporaries and renamed, {@code model.json} last.
     *
     * @param dir the folder, created if missing
     * @throws IOException           if writing fails
     * @throws IllegalStateException before training
     */
    public void save(Path dir) throws IOException {
        ModelFiles.save(dir, this, schema, config, requireTrained());
    }

    /**
     * Releases the native memory of the network. Later calls to {@code predict} throw
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                Trained t = trained;
                if (t != null) {
                    t.manager().close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    LstmConfig config() {
        return config;
    }

    Trained requireTrained() {
        Trained t = trained;
        if (t == null) {
            throw new IllegalStateException(closed ? "predictor is closed"
                    : "the predictor is not trained: call train(...) or load a saved model with Predictors.load(dir)");
        }
        return t;
    }

    void install(Trained t) {
        this.trained = t;
    }

    /** Builds the inference state from serialized DJL parameters. */
    static Trained inference(LstmConfig config, FeaturePipeline pipeline, byte[] params, double outputScale,
                             double threshold, Map<String, Double> metrics, TrainingReport report) {
        Network net = network(config, pipeline.featureCount());
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            SequentialBlock block = net.block();
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            block.freezeParameters(true);
            String version = "lstm-" + HexFormat.of().formatHex(ModelFiles.sha256(params)).substring(0, 12);
            return new Trained(pipeline, manager, block, net, params, outputScale, threshold, version,
                    Map.copyOf(metrics), report);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("model parameters do not fit the configured network ("
                    + pipeline.featureCount() + " features, layers " + Arrays.toString(config.layers()) + "): "
                    + e.getMessage(), e);
        }
    }

    static Network network(LstmConfig config, int features) {
        return new Network(features, config.layers(), config.denseLayers(), config.dropout());
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

    /** The training procedure, one instance per {@code train} call. */
    private static final class LstmTraining {
        private final LstmPredictor owner;
        private final LstmConfig cfg;
        private final TrainingSet data;
        private final TrainingListener listener;

        LstmTraining(LstmPredictor owner, LstmConfig cfg, TrainingSet data, TrainingListener listener) {
            this.owner = owner;
            this.cfg = cfg;
            this.data = data;
            this.listener = listener;
        }

        Trained run() {
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

            Network net = network(cfg, f);
            MutableTracker lr = new MutableTracker((float) cfg.learningRate());
            List<TrainingReport.Epoch> epochs = new ArrayList<>();
            int bestEpoch = 0;
            double bestLoss = Double.POSITIVE_INFINITY;
            byte[] best = null;
            try (Model model = Model.newInstance("iotpm-lstm", ENGINE)) {
                SequentialBlock block = net.block();
                model.setBlock(block);
                DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                        .optOptimizer(optimizer(lr))
                        .optDevices(new Device[] {Device.cpu()});
                try (Trainer trainer = model.newTrainer(tc)) {
                    trainer.initialize(new Shape(cfg.batchSize(), len, f));
                    net.randomize(block, cfg.seed());
                    Engine.getEngine(ENGINE).setRandomSeed((int) (cfg.seed() ^ (cfg.seed() >>> 32)));
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

            Trained provisional = inference(cfg, pipeline, best, outputScale, 0.5, Map.of(), null);
            try {
                double threshold = cfg.decisionThreshold() != null ? cfg.decisionThreshold() : 0.5;
                Map<String, Double> metrics = new LinkedHashMap<>();
                if (!valW.isEmpty()) {
                    double[] out = owner.forwardScaled(provisional, xVal, valW.size());
                    if (regression) {
                        RegressionMetrics rm = Evaluation.regression(
                                valW.stream().mapToDouble(Windows.Window::rul).toArray(), out);
                        metrics.put("rmse", rm.rmse());
                        metrics.put("mae", rm.mae());
                        metrics.put("r2", rm.r2());
                        metrics.put("nasa_score", rm.nasaScore());
                    } else {
                        boolean[] actual = labels(valW);
                        if (cfg.decisionThreshold() == null) {
                            threshold = Evaluation.bestF1Threshold(actual, out);
                        }
                        ClassificationMetrics cm = Evaluation.classification(actual, out, threshold);
                        metrics.put("accuracy", cm.accuracy());
                        metrics.put("precision", cm.precision());
                        metrics.put("recall", cm.recall());
                        metrics.put("f1", cm.f1());
                        metrics.put("roc_auc", cm.rocAuc());
                        metrics.put("pr_auc", cm.prAuc());
                    }
                }
                metrics.values().removeIf(v -> Double.isNaN(v));
                TrainingReport report = new TrainingReport(epochs, bestEpoch,
                        Duration.ofNanos(System.nanoTime() - t0), trainW.size(), valW.size(), trainDevices,
                        valDevices, threshold, metrics);
                return new Trained(pipeline, provisional.manager(), provisional.block(), provisional.network(),
                        provisional.parameters(), outputScale, threshold, provisional.version(), Map.copyOf(metrics),
                        report);
            } catch (RuntimeException e) {
                provisional.manager().close();
                throw e;
            }
        }

        private List<Windows.Window> cut(TrainingSet set, boolean regression) {
            List<Windows.Window> out = new ArrayList<>();
            for (TrainingSet.Series s : set.series()) {
                out.addAll(Windows.cut(s, cfg.sequenceLength(), cfg.stride(), cfg.horizon(), cfg.rulCap(), regression));
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
                    cfg.rollingWindow(), cfg.slopeWindow(), new float[0], new float[0]);
        }

        private float[] features(FeaturePipeline p, List<Windows.Window> ws) {
            int len = cfg.sequenceLength();
            int f = p.featureCount();
            int c = p.schema().size();
            float[] x = new float[ws.size() * len * f];
            double[] raw = new double[len * c];
            for (int i = 0; i < ws.size(); i++) {
                Windows.Window w = ws.get(i);
                System.arraycopy(w.series().values(), (w.end() - len + 1) * c, raw, 0, len * c);
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

        private static boolean[] labels(List<Windows.Window> ws) {
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
                case ADAM -> ((ai.djl.training.optimizer.Adam.Builder) b).build();
                case RMSPROP -> ((ai.djl.training.optimizer.RmsProp.Builder) b).build();
                case SGD -> ((ai.djl.training.optimizer.Sgd.Builder) b).build();
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
    }

    /**
     * Builds an {@link LstmPredictor}. Setters validate their argument; {@link #build()} checks
     * combinations and does not change the builder.
     */
    public static final class Builder {
        private final SensorSchema schema;
        private Task task = Task.CLASSIFICATION;
        private int sequenceLength = DEFAULT_SEQUENCE_LENGTH;
        private int stride = 1;
        private int horizon = DEFAULT_HORIZON;
        private double rulCap;
        private int[] layers = DEFAULT_LAYERS.clone();
        private int[] dense = new int[0];
        private double dropout = 0.2;
        private OptimizerType optimizer = OptimizerType.ADAM;
        private double learningRate = 1e-3;
        private Schedule schedule = Schedule.PLATEAU;
        private int scheduleEvery = 3;
        private double scheduleFactor = 0.5;
        private double gradientClip = 1.0;
        private int epochs = 50;
        private int batchSize = 200;
        private int patience = 10;
        private long seed = 42;
        private double validationFraction = 0.2;
        private ScalerType scaler = ScalerType.MIN_MAX;
        private List<String> channels;
        private boolean dropConstantChannels;
        private double minTargetCorrelation;
        private boolean compositeChannels = true;
        private int rollingWindow;
        private int slopeWindow;
        private ClassWeighting classWeighting = ClassWeighting.BALANCED;
        private Double decisionThreshold;
        private double[] riskThresholds = DEFAULT_RISK_THRESHOLDS.clone();

        private Builder(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** @param task what to learn; default {@link Task#CLASSIFICATION} */
        public Builder task(Task task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        /** @param steps readings per window, 2 to 10,000; default {@value #DEFAULT_SEQUENCE_LENGTH} */
        public Builder sequenceLength(int steps) {
            if (steps < 2 || steps > 10_000) {
                throw new IllegalArgumentException("sequenceLength must be in [2, 10000], but was " + steps);
            }
            this.sequenceLength = steps;
            return this;
        }

        /** @param steps distance between the ends of consecutive training windows, {@code >= 1}; default 1 */
        public Builder stride(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("stride must be >= 1, but was " + steps);
            }
            this.stride = steps;
            return this;
        }

        /**
         * @param steps a window is positive when a failure follows within this many steps of its last
         *              reading, {@code >= 0}; default {@value #DEFAULT_HORIZON}. An RUL model's
         *              {@code maintenanceNeeded} is {@code rul <= horizon}.
         */
        public Builder horizon(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("horizon must be >= 0, but was " + steps);
            }
            this.horizon = steps;
            return this;
        }

        /** @param cap RUL targets above it are clipped to it (piecewise-linear RUL), {@code > 0}; default none */
        public Builder rulCap(double cap) {
            if (!(cap > 0) || Double.isInfinite(cap)) {
                throw new IllegalArgumentException("rulCap must be a positive number, but was " + cap);
            }
            this.rulCap = cap;
            return this;
        }

        /** @param sizes hidden units per LSTM layer, first to last, each 1 to 4096; default 100, 50 */
        public Builder layers(int... sizes) {
            requireSizes("layers", sizes, false);
            this.layers = sizes.clone();
            return this;
        }

        /** @param sizes ReLU dense layers between the last LSTM step and the output; default none */
        public Builder denseLayers(int... sizes) {
            requireSizes("denseLayers", sizes, true);
            this.dense = sizes.clone();
            return this;
        }

        private static void requireSizes(String what, int[] sizes, boolean emptyOk) {
            if (sizes == null || (!emptyOk && sizes.length == 0)) {
                throw new IllegalArgumentException(what + " needs at least one size");
            }
            for (int s : sizes) {
                if (s < 1 || s > 4096) {
                    throw new IllegalArgumentException(what + " sizes must be in [1, 4096], but were " + Arrays.toString(sizes));
                }
            }
        }

        /** @param rate dropout after each LSTM and dense layer while training, in {@code [0, 1)}; default 0.2 */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), but was " + rate);
            }
            this.dropout = rate;
            return this;
        }

        /**
         * @param optimizer     the optimizer; default {@link OptimizerType#ADAM}
         * @param learningRate  initial learning rate, in {@code (0, 10]}; default 0.001
         */
        public Builder optimizer(OptimizerType optimizer, double learningRate) {
            Objects.requireNonNull(optimizer, "optimizer");
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new IllegalArgumentException("learningRate must be in (0, 10], but was " + learningRate);
            }
            this.optimizer = optimizer;
            this.learningRate = learningRate;
            return this;
        }

        /**
         * @param schedule the learning-rate schedule; default {@link Schedule#PLATEAU} with every 3, factor 0.5
         * @param every    epochs per step ({@code STEP}) or without improvement ({@code PLATEAU}), {@code >= 1}
         * @param factor   multiplier in {@code (0, 1]}
         */
        public Builder schedule(Schedule schedule, int every, double factor) {
            Objects.requireNonNull(schedule, "schedule");
            if (every < 1) {
                throw new IllegalArgumentException("schedule every must be >= 1, but was " + every);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("schedule factor must be in (0, 1], but was " + factor);
            }
            this.schedule = schedule;
            this.scheduleEvery = every;
            this.scheduleFactor = factor;
            return this;
        }

        /** @param clip gradient values are clipped to {@code ±clip}, {@code > 0}; default 1 */
        public Builder gradientClip(double clip) {
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("gradientClip must be a positive number, but was " + clip);
            }
            this.gradientClip = clip;
            return this;
        }

        /** @param epochs maximum passes over the training windows, 1 to 10,000; default 50 */
        public Builder epochs(int epochs) {
            if (epochs < 1 || epochs > 10_000) {
                throw new IllegalArgumentException("epochs must be in [1, 10000], but was " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** @param size windows per gradient step, 1 to 65,536; default 200 */
        public Builder batchSize(int size) {
            if (size < 1 || size > 65_536) {
                throw new IllegalArgumentException("batchSize must be in [1, 65536], but was " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** @param epochs stop after this many epochs without a better validation loss, 0 = never; default 10 */
        public Builder earlyStoppingPatience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, but was " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        /** @param seed seeds weights, device split, batch order and dropout; default 42 */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param fraction of devices held out for validation, in {@code [0, 0.9]}; default 0.2 */
        public Builder validationFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 0.9)) {
                throw new IllegalArgumentException("validationFraction must be in [0, 0.9], but was " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /** @param scaler feature scaling; default {@link ScalerType#MIN_MAX} */
        public Builder scaler(ScalerType scaler) {
            this.scaler = Objects.requireNonNull(scaler, "scaler");
            return this;
        }

        /**
         * @param names raw channels used as features; default every channel of the schema
         * @throws IllegalArgumentException naming an unknown channel
         */
        public Builder channels(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("channels needs at least one name");
            }
            for (String n : names) {
                schema.requireIndex(n);
            }
            this.channels = List.of(names);
            return this;
        }

        /** Drops channels that are constant over the training devices (C-MAPSS has several); default off. */
        public Builder dropConstantChannels() {
            this.dropConstantChannels = true;
            return this;
        }

        /**
         * Keeps only raw channels whose absolute Pearson correlation with the training target (the
         * binary label, or the capped RUL for {@link Task#RUL_REGRESSION}) reaches {@code min}, measured
         * on the last reading of every training window of the training devices (never the validation
         * devices). Constant channels have no correlation and are dropped. On C-MAPSS FD001, 0.2 drops
         * the operating settings and {@code s6} beside the constant channels, leaving the 14 sensors
         * the literature uses.
         *
         * @param min in {@code [0, 1)}; default 0 (keep every channel)
         */
        public Builder minTargetCorrelation(double min) {
            if (!(min >= 0 && min < 1)) {
                throw new IllegalArgumentException("minTargetCorrelation must be in [0, 1), but was " + min);
            }
            this.minTargetCorrelation = min;
            return this;
        }

        /**
         * @param on add vibration magnitude and electrical power when the schema has their channels
         *           (the industrial motor does); default true
         */
        public Builder compositeChannels(boolean on) {
            this.compositeChannels = on;
            return this;
        }

        /** @param window add rolling mean and standard deviation over this many steps, {@code >= 2}, or 0 for none; default 0 */
        public Builder rollingFeatures(int window) {
            if (window < 0 || window == 1) {
                throw new IllegalArgumentException("rolling window must be 0 or >= 2, but was " + window);
            }
            this.rollingWindow = window;
            return this;
        }

        /** @param window add the least-squares slope over this many steps, {@code >= 2}, or 0 for none; default 0 */
        public Builder slopeFeatures(int window) {
            if (window < 0 || window == 1) {
                throw new IllegalArgumentException("slope window must be 0 or >= 2, but was " + window);
            }
            this.slopeWindow = window;
            return this;
        }

        /** @param weighting class imbalance handling; default {@link ClassWeighting#BALANCED} */
        public Builder classWeighting(ClassWeighting weighting) {
            this.classWeighting = Objects.requireNonNull(weighting, "weighting");
            return this;
        }

        /** @param threshold fixed decision threshold in {@code (0, 1)}; default: the best-F1 threshold on validation */
        public Builder decisionThreshold(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("decisionThreshold must be in (0, 1), but was " + threshold);
            }
            this.decisionThreshold = threshold;
            return this;
        }

        /**
         * @param medium   probability from which the risk is MEDIUM; default 0.3
         * @param high     HIGH from here; default 0.6
         * @param critical CRITICAL from here; default 0.8
         */
        public Builder riskThresholds(double medium, double high, double critical) {
            if (!(0 < medium && medium <= high && high <= critical && critical <= 1)) {
                throw new IllegalArgumentException("risk thresholds need 0 < medium <= high <= critical <= 1, but were "
                        + medium + ", " + high + ", " + critical);
            }
            this.riskThresholds = new double[] {medium, high, critical};
            return this;
        }

        /**
         * @return an untrained predictor
         * @throws IllegalArgumentException if the rolling or slope window exceeds the sequence length
         */
        public LstmPredictor build() {
            return build(seed);
        }

        long seed() {
            return seed;
        }

        /** Builds with another seed, leaving the builder's unchanged (for ensembles). */
        LstmPredictor build(long seed) {
            if (rollingWindow > sequenceLength || slopeWindow > sequenceLength) {
                throw new IllegalArgumentException("rolling/slope windows (" + rollingWindow + ", " + slopeWindow
                        + ") must not exceed sequenceLength " + sequenceLength);
            }
            LstmConfig c = new LstmConfig(task, sequenceLength, stride, horizon, rulCap, layers.clone(), dense.clone(),
                    dropout, optimizer, learningRate, schedule, scheduleEvery, scheduleFactor, gradientClip, epochs,
                    batchSize, patience, seed, validationFraction, scaler, channels, dropConstantChannels, minTargetCorrelation,
                    compositeChannels, rollingWindow, slopeWindow, classWeighting, decisionThreshold,
                    riskThresholds.clone());
            return new LstmPredictor(schema, c);
        }
    }
}
