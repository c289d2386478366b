package io.iotpm.ml.anomaly;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LabelledWindow;
import io.iotpm.ml.TrainingListener;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.internal.RawWindows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Anomaly detection without failure labels: an LSTM autoencoder, trained with DJL's PyTorch engine
 * on windows of normal operation, flags windows it cannot reconstruct.
 *
 * <pre>{@code
 * AnomalyDetector ae = AnomalyDetector.builder(schema).sequenceLength(36).hiddenSize(32)
 *     .epochs(20).thresholdPercentile(99).seed(42).build();
 * ae.train(TrainingSet.of(readings, events));     // events optional: windows near failures are left out
 * AnomalyScore s = ae.score("PUMP_001", window);  // reconstruction error, per channel
 * Prediction p = ae.predict("PUMP_001", window);  // a Predictor: probability, risk, contributions
 * ae.save(dir);  AnomalyDetector again = AnomalyDetector.load(dir, schema);
 * }</pre>
 *
 * <p><b>Training data.</b> Every window of {@code sequenceLength} readings ({@code stride} apart)
 * that is normal operation: not ending {@code horizon} steps or fewer before a failure, not during a
 * failure's down time (until the next maintenance event); with no events, all windows. The raw
 * channels are z-scored with statistics of the training devices. A fraction of the devices is held
 * out (with one device: its latest windows) for early stopping and the threshold.
 *
 * <p><b>Score.</b> The mean squared reconstruction error of a window over time steps and channels
 * (z-score units). Its threshold is the {@code thresholdPercentile}-th percentile of the held-out
 * healthy windows' scores, so about {@code 100 - percentile} % of healthy windows are false alarms
 * by construction. Per channel, the contribution is that channel's share of {@code score/threshold}.
 *
 * <p><b>As a {@link Predictor}.</b> {@code maintenanceNeeded} is {@code score >= threshold};
 * {@code failureProbability} is the calibrated score {@code r^k / (1 + r^k)}, {@code r =
 * score/threshold}: 0.5 at the threshold and 0.05 at the median healthy score ({@code k} is fitted
 * so). It is a monotone, calibrated-to-healthy-data score, not a probability of failure: without
 * failure labels nothing can calibrate that. Risk is LOW/MEDIUM below the threshold and HIGH/CRITICAL
 * at or above it, so risk and decision always agree. No remaining useful life is estimated.
 *
 * <p><b>Threads.</b> Scoring and prediction may run from many threads; {@link #train} and
 * {@link #close} wait for them. Determinism: same data, settings and seed give the same model on one
 * machine and thread count (no dropout, so PyTorch's global generator is not used).
 */
public final class AnomalyDetector implements Predictor {

    private final SensorSchema schema;
    private final AutoencoderConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile AutoencoderModel trained;
    private boolean closed;

    AnomalyDetector(SensorSchema schema, AutoencoderConfig config) {
        this.schema = schema;
        this.config = config;
    }

    /**
     * Starts a detector for readings of {@code schema}.
     *
     * @param schema the channels of the readings
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

    /** @return the hyper-parameters */
    public AutoencoderConfig config() {
        return config;
    }

    /** @return whether the detector has been trained or loaded */
    public boolean isTrained() {
        return trained != null;
    }

    /**
     * @return the threshold on the score
     * @throws IllegalStateException before training
     */
    public double threshold() {
        return requireTrained().threshold();
    }

    /**
     * @return {@code ae-} and the first 12 hex digits of the parameters' SHA-256
     * @throws IllegalStateException before training
     */
    public String version() {
        return requireTrained().version();
    }

    /** @return validation figures (threshold, healthy median, loss, ROC-AUC when failures were held out), empty before training */
    public Map<String, Double> metrics() {
        AutoencoderModel t = trained;
        return t == null ? Map.of() : t.metrics();
    }

    /** @return the report of the last training; null for a loaded model or before training */
    public TrainingReport report() {
        AutoencoderModel t = trained;
        return t == null ? null : t.report();
    }

    /**
     * Trains the autoencoder, replacing any previous training.
     *
     * @param data     readings, and failure and maintenance events if any
     * @param listener follows the progress; {@link TrainingListener#NONE} for none
     * @return what happened; its threshold is the score threshold
     * @throws IllegalArgumentException if the data has another schema or too few normal windows
     * @throws IllegalStateException    if the detector is closed
     */
    public TrainingReport train(TrainingSet data, TrainingListener listener) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(listener, "listener");
        if (!data.schema().equals(schema)) {
            throw new IllegalArgumentException("training data has schema '" + data.schema().name()
                    + "', but the detector was built for '" + schema.name() + "'");
        }
        install(new AutoencoderTraining(config, data, listener).run());
        return trained.report();
    }

    /**
     * Trains with no listener.
     *
     * @see #train(TrainingSet, TrainingListener)
     */
    public TrainingReport train(TrainingSet data) {
        return train(data, TrainingListener.NONE);
    }

    /**
     * Scores one window.
     *
     * @param deviceId the device
     * @param window   at least {@link #sequenceLength()} readings, oldest first (the newest are used)
     * @return its reconstruction error and the per-channel contributions
     * @throws IllegalArgumentException if the window is short, of another schema, unordered or holds NaN
     * @throws IllegalStateException    before training or after {@link #close()}
     */
    public AnomalyScore score(String deviceId, List<SensorReading> window) {
        return scoreBatch(List.of(new DeviceWindow(deviceId, window))).get(0);
    }

    /**
     * Scores many windows in one forward pass.
     *
     * @param windows one window per device
     * @return one score per window, in order
     * @throws IllegalArgumentException if a window is short, of another schema, unordered or holds NaN
     * @throws IllegalStateException    before training or after {@link #close()}
     */
    public List<AnomalyScore> scoreBatch(List<DeviceWindow> windows) {
        Objects.requireNonNull(windows, "windows");
        lock.readLock().lock();
        try {
            AutoencoderModel t = requireOpen();
            int n = windows.size();
            int len = config.sequenceLength();
            int c = schema.size();
            double[] raw = new double[n * len * c];
            for (int i = 0; i < n; i++) {
                RawWindows.fill(schema, len, windows.get(i), raw, i * len * c);
            }
            float[] err = n == 0 ? new float[0] : t.errorsRaw(raw, n);
            int f = t.pipeline().featureCount();
            List<AnomalyScore> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                DeviceWindow w = windows.get(i);
                out.add(t.anomalyScore(w.deviceId(), w.readings().get(w.readings().size() - 1), err, i * f));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The scores of labelled windows (for evaluations: ROC-AUC against {@link LabelledWindow#failureWithinHorizon()},
     * lead times). The windows must have been cut with this detector's {@link #sequenceLength()}.
     *
     * @param windows windows from {@link TrainingSet#windows(int, int, int)}
     * @return one score per window, in order
     * @throws IllegalArgumentException if a window's length differs from the sequence length
     * @throws IllegalStateException    before training or after {@link #close()}
     */
    public double[] scores(List<LabelledWindow> windows) {
        lock.readLock().lock();
        try {
            return scores(requireOpen(), windows);
        } finally {
            lock.readLock().unlock();
        }
    }

    static double[] scores(AutoencoderModel t, List<LabelledWindow> windows) {
        int len = t.config().sequenceLength();
        int c = t.pipeline().schema().size();
        int f = t.pipeline().featureCount();
        double[] out = new double[windows.size()];
        int chunk = 1024;
        for (int from = 0; from < windows.size(); from += chunk) {
            int m = Math.min(chunk, windows.size() - from);
            double[] raw = new double[m * len * c];
            for (int i = 0; i < m; i++) {
                LabelledWindow w = windows.get(from + i);
                if (w.length() != len) {
                    throw new IllegalArgumentException("window of device '" + w.deviceId() + "' ending " + w.end()
                            + " has " + w.length() + " readings, but the detector takes " + len);
                }
                w.copyValuesTo(raw, i * len * c);
            }
            float[] err = t.errorsRaw(raw, m);
            for (int i = 0; i < m; i++) {
                out[from + i] = AutoencoderModel.score(err, i * f, f);
            }
        }
        return out;
    }

    /**
     * The calibrated probability the {@link Predictor} view reports for a score.
     *
     * @param score a reconstruction error
     * @return {@code r^k / (1 + r^k)} with {@code r = score / threshold}; 0.5 at the threshold
     * @throws IllegalStateException before training
     */
    public double probability(double score) {
        return requireTrained().calibration().probability(score);
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        return predictBatch(List.of(new DeviceWindow(deviceId, window))).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<DeviceWindow> windows) {
        lock.readLock().lock();
        try {
            AutoencoderModel t = requireOpen();
            return scoreBatch(windows).stream().map(t::prediction).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The trained autoencoder in engine-neutral form, for another engine to serve.
     *
     * @return weights, scaler, calibration and risk levels
     * @throws IllegalStateException before training, or when closed
     */
    public AutoencoderWeights network() {
        lock.readLock().lock();
        try {
            return requireOpen().describe();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Writes the model to a folder: {@code model.params} (DJL parameters) and {@code model.json}
     * (kind {@value AnomalyFiles#KIND}, format version, schema, scaler, hyper-parameters, threshold,
     * calibration, metrics, parameter size and SHA-256), {@code model.json} last.
     *
     * @param dir the folder, created if missing
     * @throws IOException           if writing fails
     * @throws IllegalStateException before training
     */
    public void save(Path dir) throws IOException {
        AnomalyFiles.save(Objects.requireNonNull(dir, "dir"), requireTrained());
    }

    /**
     * Loads a saved detector.
     *
     * @param dir the model folder
     * @return a trained detector; close it to free native memory
     * @throws IOException if a file is missing, truncated, of another kind, or of a newer format version
     */
    public static AnomalyDetector load(Path dir) throws IOException {
        return AnomalyFiles.load(Objects.requireNonNull(dir, "dir"), null);
    }

    /**
     * Loads a saved detector and checks it was trained on {@code schema}.
     *
     * @param dir    the model folder
     * @param schema the schema the caller's readings have
     * @return a trained detector
     * @throws IllegalArgumentException if the model's schema differs, naming both
     * @throws IOException              if a file is missing, truncated, of another kind, or of a newer format version
     */
    public static AnomalyDetector load(Path dir, SensorSchema schema) throws IOException {
        return AnomalyFiles.load(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(schema, "schema"));
    }

    /** Releases the network's native memory; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                if (trained != null) {
                    trained.manager().close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void install(AutoencoderModel t) {
        lock.writeLock().lock();
        try {
            if (closed) {
                t.manager().close();
                throw new IllegalStateException("detector is closed");
            }
            AutoencoderModel old = trained;
            trained = t;
            if (old != null) {
                old.manager().close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private AutoencoderModel requireOpen() {
        AutoencoderModel t = requireTrained();
        if (closed) {
            throw new IllegalStateException("detector is closed");
        }
        return t;
    }

    AutoencoderModel requireTrained() {
        AutoencoderModel t = trained;
        if (t == null) {
            throw new IllegalStateException(closed ? "detector is closed"
                    : "the detector is not trained: call train(...) or AnomalyDetector.load(dir)");
        }
        return t;
    }

    /**
     * Builds an {@link AnomalyDetector}. Setters validate their argument and state their default;
     * {@link #build()} checks combinations and leaves the builder unchanged.
     */
    public static final class Builder extends AutoencoderBuilder<Builder> {
        private Builder(SensorSchema schema) {
            super(schema);
        }

        /**
         * @return an untrained detector
         * @throws IllegalArgumentException if the risk probabilities are not {@code medium < 0.5 < critical}
         */
        public AnomalyDetector build() {
            return new AnomalyDetector(schema(), config());
        }
    }
}
