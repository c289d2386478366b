package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.LstmNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * mean/std, slope) are computed in Java (so every engine gets the same input) and scaled with min-max or
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
 * wait for running predictions. PyTorch's thread counts are process-wide: set them with
 * {@link EngineOptions} before the engine loads.
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

    /** How the network's output becomes {@code maintenance_probability}. */
    public enum Calibration {
        /** The network's own sigmoid (or, for an RUL model, the monotone failure score). */
        NONE,
        /** Platt scaling fitted on the validation devices' windows ({@link io.iotpm.ml.network.PlattScaling}). */
        PLATT
    }

    /** Default window length (the original system's 60 steps). */
    public static final int DEFAULT_SEQUENCE_LENGTH = 60;
    /** Default horizon (the original system's 10 steps ahead). */
    public static final int DEFAULT_HORIZON = 10;
    /** Default LSTM layer sizes. */
    static final int[] DEFAULT_LAYERS = {100, 50};
    /** Default risk thresholds on the failure probability: MEDIUM, HIGH, CRITICAL from these on. */
    static final double[] DEFAULT_RISK_THRESHOLDS = {0.3, 0.6, 0.8};

    /** PyTorch's random generator (dropout masks) is process-global: trainings take turns. */
    private static final Object ENGINE_RNG = new Object();

    private final SensorSchema schema;
    private final LstmConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile LstmModel trained;
    private boolean closed;

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

    /**
     * @return the fewest readings a window may hold; shorter than {@link #sequenceLength()}, it is
     *         padded at the front with its oldest reading (see {@link Builder#minHistory(int)})
     */
    @Override
    public int minHistory() {
        return config.historyNeeded();
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
     * @return the decision threshold on the failure probability ({@code maintenanceNeeded} from it on); for
     *         an RUL model, its calibrated probability at {@code rul = horizon}
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
        LstmModel t = trained;
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
        LstmModel t;
        synchronized (ENGINE_RNG) {
            t = new LstmTraining(config, data, listener).run();
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                t.manager().close();
                throw new IllegalStateException("predictor is closed");
            }
            LstmModel old = trained;
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
        LstmModel t = trained;
        return t == null ? null : t.report();
    }

    /**
     * Predicts for one window and explains it: {@link Prediction#contributions()} holds, for each raw
     * channel the model reads, how much it moved {@code maintenance_probability} (occlusion: the
     * probability minus the probability with that channel held at its typical training value over the
     * window), largest magnitude first. This costs one forward pass over {@code 1 + channels} windows;
     * {@link #predictBatch} is the throughput path and does not explain.
     *
     * @throws IllegalArgumentException on a short window, NaN, another schema or unordered readings
     * @throws IllegalStateException    before training or after {@link #close()}
     */
    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        DeviceWindow w = new DeviceWindow(deviceId, window);
        lock.readLock().lock();
        try {
            LstmModel t = requireTrained();
            if (closed) {
                throw new IllegalStateException("predictor is closed");
            }
            return Occlusion.explain(t, schema, w);
        } finally {
            lock.readLock().unlock();
        }
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

    private List<Prediction> predictBatch(LstmModel t, List<DeviceWindow> windows) {
        int n = windows.size();
        if (n == 0) {
            return List.of();
        }
        int len = config.sequenceLength();
        int c = schema.size();
        double[] raw = new double[n * len * c];
        for (int i = 0; i < n; i++) {
            Windows.fillRaw(schema, len, config.historyNeeded(), windows.get(i), raw, i * len * c);
        }
        double[] out = forwardRaw(t, raw, n);
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DeviceWindow w = windows.get(i);
            predictions.add(t.prediction(w.deviceId(), w.readings().get(w.readings().size() - 1), out[i]));
        }
        return predictions;
    }

    /**
     * The RUL model's failure probability for an estimated RUL: its calibration applied to the
     * failure score (see {@link LstmConfig#rulScore}).
     */
    double rulProbability(double rul) {
        return requireTrained().calibration().probability(config.rulScore(rul));
    }

    /** The trained model's risk scale: the configured thresholds around its decision probability. */
    RiskScale riskScale() {
        return requireTrained().riskScale();
    }

    /** Runs the model on {@code n} raw windows; the caller holds the read lock. */
    private double[] forwardRaw(LstmModel t, double[] raw, int n) {
        if (closed) {
            throw new IllegalStateException("predictor is closed");
        }
        return t.forwardRaw(raw, n);
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
        LstmEvaluation.Labelled l = labelled(data, false);
        return LstmEvaluation.classification(config, l, requireTrained().threshold(), this::rulProbability);
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
        return LstmEvaluation.rocCurve(config, labelled(data, false), maxPoints, this::rulProbability);
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
        return LstmEvaluation.regression(labelled(data, true));
    }

    private LstmEvaluation.Labelled labelled(TrainingSet data, boolean needRul) {
        lock.readLock().lock();
        try {
            LstmModel t = requireTrained();
            return LstmEvaluation.labelled(config, schema, data, needRul, (raw, n) -> forwardRaw(t, raw, n));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The trained model in engine-neutral form, for another engine to serve (an engine module
     * exports it in its own format).
     * {@link LstmNetwork#forward(double[], int)} on a window gives the failure probability
     * (classification) or the RUL in steps (regression) that {@link #predict} reports.
     *
     * @return the weights, feature recipe and thresholds
     * @throws IllegalStateException before training, or when closed
     */
    public LstmNetwork network() {
        lock.readLock().lock();
        try {
            LstmModel t = requireTrained();
            if (closed) {
                throw new IllegalStateException("predictor is closed");
            }
            return t.describe(schema);
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
                LstmModel t = trained;
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

    LstmModel requireTrained() {
        LstmModel t = trained;
        if (t == null) {
            throw new IllegalStateException(closed ? "predictor is closed"
                    : "the predictor is not trained: call train(...) or load a saved model with Predictors.load(dir)");
        }
        return t;
    }

    void install(LstmModel t) {
        this.trained = t;
    }

    /**
     * Builds an {@link LstmPredictor}. Setters validate their argument and state their default;
     * {@link #build()} checks combinations and does not change the builder, so it can be reused.
     */
    public static final class Builder extends LstmConfig.Builder<Builder> {
        private final SensorSchema schema;

        private Builder(SensorSchema schema) {
            super(schema);
            this.schema = schema;
        }

        /**
         * @return an untrained predictor
         * @throws IllegalArgumentException if the rolling or slope window exceeds the sequence length
         */
        public LstmPredictor build() {
            return build(seed());
        }

        /** Builds with another seed, leaving the builder's unchanged (for ensembles). */
        LstmPredictor build(long seed) {
            return new LstmPredictor(schema, config(seed));
        }
    }
}
