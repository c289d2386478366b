package io.iotpm.ml;

import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor.Calibration;
import io.iotpm.ml.LstmPredictor.ClassWeighting;
import io.iotpm.ml.LstmPredictor.OptimizerType;
import io.iotpm.ml.LstmPredictor.ScalerType;
import io.iotpm.ml.LstmPredictor.Schedule;
import io.iotpm.ml.LstmPredictor.Task;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every hyper-parameter of an {@link LstmPredictor}, as saved in {@code model.json}. Built and
 * validated by its {@link Builder}, whose setters document the defaults.
 */
record LstmConfig(
        Task task,
        int sequenceLength,
        int minHistory,
        int stride,
        int horizon,
        double rulCap,
        int[] layers,
        int[] denseLayers,
        double dropout,
        OptimizerType optimizer,
        double learningRate,
        Schedule schedule,
        int scheduleEvery,
        double scheduleFactor,
        double gradientClip,
        int epochs,
        int batchSize,
        int earlyStoppingPatience,
        long seed,
        double validationFraction,
        ScalerType scaler,
        List<String> channels,
        boolean dropConstantChannels,
        double minTargetCorrelation,
        boolean compositeChannels,
        int rollingWindow,
        int slopeWindow,
        double smoothing,
        ClassWeighting classWeighting,
        Double decisionThreshold,
        double[] riskThresholds,
        RiskLevel maintenanceLevel,
        boolean riskThresholdsSet,
        Calibration calibration) {

    /**
     * For an RUL model, a failure score in {@code [0, 1]} that is 0.5 at the horizon and rises as the
     * estimated RUL falls: {@code sigmoid((horizon - rul) / s)}, {@code s = max(1, horizon / 5)}. It
     * orders devices like the RUL does; it is not a calibrated probability.
     */
    double rulProbability(double rul) {
        return 1 / (1 + Math.exp(-rulScore(rul)));
    }

    /** The logit of {@link #rulProbability}: {@code (horizon - rul) / max(1, horizon / 5)}, 0 at the horizon. */
    double rulScore(double rul) {
        return (horizon - rul) / Math.max(1, horizon / 5.0);
    }

    /**
     * The configured risk scale, before training places its maintenance level at the decision
     * threshold; model files from before the maintenance level existed read as HIGH.
     */
    RiskScale riskScale() {
        return new RiskScale(riskThresholds[0], riskThresholds[1], riskThresholds[2],
                maintenanceLevel == null ? RiskScale.DEFAULT_MAINTENANCE_LEVEL : maintenanceLevel);
    }

    /**
     * @return the fewest readings a window may hold (shorter ones are padded at the front up to the
     *         sequence length); model files from before padding existed hold 0 and need a full window
     */
    int historyNeeded() {
        return minHistory > 0 ? minHistory : sequenceLength;
    }

    /** @return the calibration; model files from before it existed had none */
    Calibration calibrationOrNone() {
        return calibration == null ? Calibration.NONE : calibration;
    }

    /**
     * The settings of an {@link LstmPredictor} and their validation; {@link LstmPredictor.Builder} is
     * the public face. Setters validate their argument; {@link #config(long)} checks combinations and
     * does not change the builder, so a builder can be reused.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    abstract static class Builder<B extends Builder<B>> {
        private final SensorSchema schema;
        private Task task = Task.CLASSIFICATION;
        private int sequenceLength = LstmPredictor.DEFAULT_SEQUENCE_LENGTH;
        private int minHistory;
        private int stride = 1;
        private int horizon = LstmPredictor.DEFAULT_HORIZON;
        private double rulCap;
        private int[] layers = LstmPredictor.DEFAULT_LAYERS.clone();
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
        private double smoothing;
        private ClassWeighting classWeighting = ClassWeighting.BALANCED;
        private Double decisionThreshold;
        private double[] riskThresholds = LstmPredictor.DEFAULT_RISK_THRESHOLDS.clone();
        private RiskLevel maintenanceLevel = RiskScale.DEFAULT_MAINTENANCE_LEVEL;
        private boolean riskThresholdsSet;
        private Calibration calibration = Calibration.PLATT;

        Builder(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        @SuppressWarnings("unchecked") // B is this class's own subtype by construction
        private B self() {
            return (B) this;
        }

        /** @param task what to learn; default {@link Task#CLASSIFICATION} */
        public B task(Task task) {
            this.task = Objects.requireNonNull(task, "task");
            return self();
        }

        /** @param steps readings per window, 2 to 10,000; default {@value LstmPredictor#DEFAULT_SEQUENCE_LENGTH} */
        public B sequenceLength(int steps) {
            if (steps < 2 || steps > 10_000) {
                throw new IllegalArgumentException("sequenceLength must be in [2, 10000], but was " + steps);
            }
            this.sequenceLength = steps;
            return self();
        }

        /**
         * Lets the window be longer than the history some devices have: a window with at least
         * {@code readings} but fewer than {@code sequenceLength} readings is padded at the front with
         * copies of its oldest reading, in training (windows then end at every device's
         * {@code readings}-th reading on) as in {@code predict}. A longer window sees more of a slow
         * trend, and a device need not wait for a full window; the network learns what padding
         * looks like because it trains on padded windows too.
         *
         * @param readings the fewest readings a window may hold, {@code >= 1} and at most the
         *                 sequence length (checked by {@code build()}); default: the sequence length
         *                 (no padding)
         */
        public B minHistory(int readings) {
            if (readings < 1) {
                throw new IllegalArgumentException("minHistory must be >= 1, but was " + readings);
            }
            this.minHistory = readings;
            return self();
        }

        /** @param steps distance between the ends of consecutive training windows, {@code >= 1}; default 1 */
        public B stride(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("stride must be >= 1, but was " + steps);
            }
            this.stride = steps;
            return self();
        }

        /**
         * @param steps a window is positive when a failure follows within this many steps of its last
         *              reading, {@code >= 0}; default {@value LstmPredictor#DEFAULT_HORIZON}. An RUL model's
         *              {@code maintenanceNeeded} is {@code rul <= horizon}.
         */
        public B horizon(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("horizon must be >= 0, but was " + steps);
            }
            this.horizon = steps;
            return self();
        }

        /** @param cap RUL targets above it are clipped to it (piecewise-linear RUL), {@code > 0}; default none */
        public B rulCap(double cap) {
            if (!(cap > 0) || Double.isInfinite(cap)) {
                throw new IllegalArgumentException("rulCap must be a positive number, but was " + cap);
            }
            this.rulCap = cap;
            return self();
        }

        /** @param sizes hidden units per LSTM layer, first to last, each 1 to 4096; default 100, 50 */
        public B layers(int... sizes) {
            requireSizes("layers", sizes, false);
            this.layers = sizes.clone();
            return self();
        }

        /** @param sizes ReLU dense layers between the last LSTM step and the output; default none */
        public B denseLayers(int... sizes) {
            requireSizes("denseLayers", sizes, true);
            this.dense = sizes.clone();
            return self();
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
        public B dropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), but was " + rate);
            }
            this.dropout = rate;
            return self();
        }

        /**
         * @param optimizer     the optimizer; default {@link OptimizerType#ADAM}
         * @param learningRate  initial learning rate, in {@code (0, 10]}; default 0.001
         */
        public B optimizer(OptimizerType optimizer, double learningRate) {
            Objects.requireNonNull(optimizer, "optimizer");
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new IllegalArgumentException("learningRate must be in (0, 10], but was " + learningRate);
            }
            this.optimizer = optimizer;
            this.learningRate = learningRate;
            return self();
        }

        /**
         * @param schedule the learning-rate schedule; default {@link Schedule#PLATEAU} with every 3, factor 0.5
         * @param every    epochs per step ({@code STEP}) or without improvement ({@code PLATEAU}), {@code >= 1}
         * @param factor   multiplier in {@code (0, 1]}
         */
        public B schedule(Schedule schedule, int every, double factor) {
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
            return self();
        }

        /** @param clip gradient values are clipped to {@code ±clip}, {@code > 0}; default 1 */
        public B gradientClip(double clip) {
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("gradientClip must be a positive number, but was " + clip);
            }
            this.gradientClip = clip;
            return self();
        }

        /** @param epochs maximum passes over the training windows, 1 to 10,000; default 50 */
        public B epochs(int epochs) {
            if (epochs < 1 || epochs > 10_000) {
                throw new IllegalArgumentException("epochs must be in [1, 10000], but was " + epochs);
            }
            this.epochs = epochs;
            return self();
        }

        /** @param size windows per gradient step, 1 to 65,536; default 200 */
        public B batchSize(int size) {
            if (size < 1 || size > 65_536) {
                throw new IllegalArgumentException("batchSize must be in [1, 65536], but was " + size);
            }
            this.batchSize = size;
            return self();
        }

        /** @param epochs stop after this many epochs without a better validation loss, 0 = never; default 10 */
        public B earlyStoppingPatience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, but was " + epochs);
            }
            this.patience = epochs;
            return self();
        }

        /** @param seed seeds weights, device split, batch order and dropout; default 42 */
        public B seed(long seed) {
            this.seed = seed;
            return self();
        }

        /** @param fraction of devices held out for validation, in {@code [0, 0.9]}; default 0.2 */
        public B validationFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 0.9)) {
                throw new IllegalArgumentException("validationFraction must be in [0, 0.9], but was " + fraction);
            }
            this.validationFraction = fraction;
            return self();
        }

        /** @param scaler feature scaling; default {@link ScalerType#MIN_MAX} */
        public B scaler(ScalerType scaler) {
            this.scaler = Objects.requireNonNull(scaler, "scaler");
            return self();
        }

        /**
         * @param names raw channels used as features; default every channel of the schema
         * @throws IllegalArgumentException naming an unknown channel
         */
        public B channels(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("channels needs at least one name");
            }
            for (String n : names) {
                schema.requireIndex(n);
            }
            this.channels = List.of(names);
            return self();
        }

        /** Drops channels that are constant over the training devices (C-MAPSS has several); default off. */
        public B dropConstantChannels() {
            this.dropConstantChannels = true;
            return self();
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
        public B minTargetCorrelation(double min) {
            if (!(min >= 0 && min < 1)) {
                throw new IllegalArgumentException("minTargetCorrelation must be in [0, 1), but was " + min);
            }
            this.minTargetCorrelation = min;
            return self();
        }

        /**
         * @param on add vibration magnitude and electrical power when the schema has their channels
         *           (the industrial motor does); default true
         */
        public B compositeChannels(boolean on) {
            this.compositeChannels = on;
            return self();
        }

        /** @param window add rolling mean and standard deviation over this many steps, {@code >= 2}, or 0 for none; default 0 */
        public B rollingFeatures(int window) {
            if (window < 0 || window == 1) {
                throw new IllegalArgumentException("rolling window must be 0 or >= 2, but was " + window);
            }
            this.rollingWindow = window;
            return self();
        }

        /** @param window add the least-squares slope over this many steps, {@code >= 2}, or 0 for none; default 0 */
        public B slopeFeatures(int window) {
            if (window < 0 || window == 1) {
                throw new IllegalArgumentException("slope window must be 0 or >= 2, but was " + window);
            }
            this.slopeWindow = window;
            return self();
        }

        /**
         * Denoises the input: every base column (selected raw channel, composite channel) is replaced
         * by its exponential moving average inside the window, {@code s₀ = x₀},
         * {@code sₜ = α·xₜ + (1 - α)·sₜ₋₁}, before rolling/slope features and scaling. Causal and
         * computed from the window alone, so training, {@code predict} on a live stream and the
         * TensorFlow export (it is saved with the features) see the same input. Smaller {@code α}
         * smooths more and reacts later.
         *
         * @param alpha in {@code (0, 1)}, or 0 for none; default 0
         */
        public B smoothing(double alpha) {
            if (!(alpha == 0 || (alpha > 0 && alpha < 1))) {
                throw new IllegalArgumentException("smoothing must be 0 (off) or in (0, 1), but was " + alpha);
            }
            this.smoothing = alpha;
            return self();
        }

        /** @param weighting class imbalance handling; default {@link ClassWeighting#BALANCED} */
        public B classWeighting(ClassWeighting weighting) {
            this.classWeighting = Objects.requireNonNull(weighting, "weighting");
            return self();
        }

        /** @param threshold fixed decision threshold in {@code (0, 1)}; default: the best-F1 threshold on validation */
        public B decisionThreshold(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("decisionThreshold must be in (0, 1), but was " + threshold);
            }
            this.decisionThreshold = threshold;
            return self();
        }

        /**
         * The probabilities from which the risk is MEDIUM, HIGH and CRITICAL. The level that triggers
         * maintenance ({@link #maintenanceLevel}) starts at the decision threshold: with a fixed
         * {@link #decisionThreshold} the two must agree ({@link #build} rejects a contradiction); with
         * a threshold learned on validation, training moves the maintenance level's threshold to it and
         * caps lower levels' / raises higher levels' thresholds to it (see {@link RiskScale#around}).
         *
         * @param medium   probability from which the risk is MEDIUM; default 0.3
         * @param high     HIGH from here; default 0.6
         * @param critical CRITICAL from here; default 0.8
         */
        public B riskThresholds(double medium, double high, double critical) {
            if (!(0 < medium && medium <= high && high <= critical && critical <= 1)) {
                throw new IllegalArgumentException("risk thresholds need 0 < medium <= high <= critical <= 1, but were "
                        + medium + ", " + high + ", " + critical);
            }
            this.riskThresholds = new double[] {medium, high, critical};
            this.riskThresholdsSet = true;
            return self();
        }

        /**
         * @param level the lowest risk level at which {@code maintenanceNeeded} is true (MEDIUM, HIGH or
         *              CRITICAL); default HIGH. Every prediction's level is at or above it exactly when
         *              maintenance is needed.
         */
        public B maintenanceLevel(RiskLevel level) {
            Objects.requireNonNull(level, "level");
            if (level == RiskLevel.LOW) {
                throw new IllegalArgumentException("maintenanceLevel must be MEDIUM, HIGH or CRITICAL, but was LOW");
            }
            this.maintenanceLevel = level;
            return self();
        }

        /**
         * @param calibration how the classifier's output becomes {@code maintenance_probability}, fitted
         *                    on the validation devices' windows after training; default
         *                    {@link Calibration#PLATT}. Without validation devices there is nothing to
         *                    fit and the output stays as the network gives it.
         */
        public B calibration(Calibration calibration) {
            this.calibration = Objects.requireNonNull(calibration, "calibration");
            return self();
        }

        long seed() {
            return seed;
        }

        /**
         * The settings with another seed, leaving the builder's unchanged (for ensembles).
         *
         * @throws IllegalArgumentException if the rolling or slope window exceeds the sequence length, or
         *                                  explicit risk thresholds contradict a fixed decision threshold
         */
        LstmConfig config(long seed) {
            if (rollingWindow > sequenceLength || slopeWindow > sequenceLength) {
                throw new IllegalArgumentException("rolling/slope windows (" + rollingWindow + ", " + slopeWindow
                        + ") must not exceed sequenceLength " + sequenceLength);
            }
            if (minHistory > sequenceLength) {
                throw new IllegalArgumentException("minHistory " + minHistory + " must not exceed sequenceLength "
                        + sequenceLength);
            }
            if (riskThresholdsSet && decisionThreshold != null && task == Task.CLASSIFICATION) {
                new RiskScale(riskThresholds[0], riskThresholds[1], riskThresholds[2], maintenanceLevel)
                        .requireAgrees(decisionThreshold);
            }
            int history = minHistory > 0 ? minHistory : sequenceLength;
            return new LstmConfig(task, sequenceLength, history, stride, horizon, rulCap, layers.clone(), dense.clone(),
                    dropout, optimizer, learningRate, schedule, scheduleEvery, scheduleFactor, gradientClip, epochs,
                    batchSize, patience, seed, validationFraction, scaler, channels, dropConstantChannels,
                    minTargetCorrelation, compositeChannels, rollingWindow, slopeWindow, smoothing, classWeighting,
                    decisionThreshold, riskThresholds.clone(), maintenanceLevel, riskThresholdsSet, calibration);
        }
    }
}
