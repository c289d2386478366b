package io.iotpm.ml.anomaly;

import io.iotpm.core.SensorSchema;

import java.util.Objects;

/**
 * The setters of {@link AnomalyDetector.Builder}, each validating its argument and documenting its
 * default.
 *
 * @param <B> the concrete builder
 */
public abstract class AutoencoderBuilder<B extends AutoencoderBuilder<B>> {

    /** Default window length. */
    public static final int DEFAULT_SEQUENCE_LENGTH = 30;
    /** Default steps before a failure that are not normal operation. */
    public static final int DEFAULT_HORIZON = 10;
    /** Default hidden units of encoder and decoder. */
    public static final int DEFAULT_HIDDEN_SIZE = 32;
    /** Default threshold percentile of healthy validation scores. */
    public static final double DEFAULT_THRESHOLD_PERCENTILE = 99;

    private final SensorSchema schema;
    private int sequenceLength = DEFAULT_SEQUENCE_LENGTH;
    private int stride = 1;
    private int horizon = DEFAULT_HORIZON;
    private int hiddenSize = DEFAULT_HIDDEN_SIZE;
    private int epochs = 20;
    private int batchSize = 128;
    private double learningRate = 1e-3;
    private int patience = 4;
    private double validationFraction = 0.2;
    private double percentile = DEFAULT_THRESHOLD_PERCENTILE;
    private double mediumRisk = 0.2;
    private double criticalRisk = 0.9;
    private long seed = 42;

    AutoencoderBuilder(SensorSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, but was " + v);
        }
        return v;
    }

    /**
     * @param n readings per window, default {@value #DEFAULT_SEQUENCE_LENGTH}
     * @return this builder
     * @throws IllegalArgumentException if below 2
     */
    public B sequenceLength(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("sequenceLength must be >= 2, but was " + n);
        }
        this.sequenceLength = n;
        return self();
    }

    /**
     * @param n steps between training window ends, default 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public B stride(int n) {
        this.stride = positive("stride", n);
        return self();
    }

    /**
     * @param n windows ending this many steps or fewer before a failure are left out of training
     *          (and count as positives in evaluations), default {@value #DEFAULT_HORIZON}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public B horizon(int n) {
        this.horizon = positive("horizon", n);
        return self();
    }

    /**
     * @param n LSTM units of the encoder and of the decoder, default {@value #DEFAULT_HIDDEN_SIZE}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public B hiddenSize(int n) {
        this.hiddenSize = positive("hiddenSize", n);
        return self();
    }

    /**
     * @param n most passes over the training windows, default 20
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public B epochs(int n) {
        this.epochs = positive("epochs", n);
        return self();
    }

    /**
     * @param n windows per gradient step, default 128
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public B batchSize(int n) {
        this.batchSize = positive("batchSize", n);
        return self();
    }

    /**
     * @param rate Adam's learning rate, default 0.001
     * @return this builder
     * @throws IllegalArgumentException if not a positive finite number
     */
    public B learningRate(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite, but was " + rate);
        }
        this.learningRate = rate;
        return self();
    }

    /**
     * @param epochs epochs without a better validation loss before stopping, 0 for never; default 4
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B earlyStoppingPatience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, but was " + epochs);
        }
        this.patience = epochs;
        return self();
    }

    /**
     * @param fraction of devices held out for early stopping and the threshold, default 0.2
     * @return this builder
     * @throws IllegalArgumentException if not in {@code (0, 0.9]}
     */
    public B validationFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 0.9)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 0.9], but was " + fraction);
        }
        this.validationFraction = fraction;
        return self();
    }

    /**
     * @param p the threshold is this percentile of healthy validation scores, default
     *          {@value #DEFAULT_THRESHOLD_PERCENTILE} (about 1 % false alarms on healthy windows)
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [50, 100]}
     */
    public B thresholdPercentile(double p) {
        if (!(p >= 50 && p <= 100)) {
            throw new IllegalArgumentException("thresholdPercentile must be in [50, 100], but was " + p);
        }
        this.percentile = p;
        return self();
    }

    /**
     * Risk levels on the calibrated probability; the decision (HIGH) is at 0.5.
     *
     * @param medium   MEDIUM from here, default 0.2
     * @param critical CRITICAL from here, default 0.9
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 < medium < 0.5 < critical < 1}
     */
    public B riskLevels(double medium, double critical) {
        if (!(medium > 0 && medium < AutoencoderConfig.DECISION_PROBABILITY
                && critical > AutoencoderConfig.DECISION_PROBABILITY && critical < 1)) {
            throw new IllegalArgumentException("risk levels must satisfy 0 < medium < 0.5 < critical < 1, but were "
                    + medium + " and " + critical);
        }
        this.mediumRisk = medium;
        this.criticalRisk = critical;
        return self();
    }

    /**
     * @param seed seed of initial weights, device split and batch order, default 42
     * @return this builder
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    SensorSchema schema() {
        return schema;
    }

    AutoencoderConfig config() {
        return new AutoencoderConfig(sequenceLength, stride, horizon, hiddenSize, epochs, batchSize, learningRate,
                patience, validationFraction, percentile, mediumRisk, criticalRisk, seed);
    }
}
