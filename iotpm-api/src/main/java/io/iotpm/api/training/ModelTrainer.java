package io.iotpm.api.training;

import io.iotpm.core.Predictor;
import io.iotpm.core.storage.StorageBackend;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a new {@link Predictor} for {@code POST /api/model/train}. The server runs one training job at
 * a time on a thread of its own, reports its progress at {@code GET /api/model/jobs/{id}} and, when it
 * succeeds, serves predictions with the new predictor (which the server then owns and closes).
 * Adapters: {@code LstmTrainer} for {@code iotpm-ml}'s LSTM, or a host's own.
 */
@FunctionalInterface
public interface ModelTrainer {

    /**
     * Trains a predictor from stored data.
     *
     * @param request  what to train on
     * @param progress where to report epochs and metrics; check {@link Progress#cancelled()} between epochs
     * @return the trained predictor
     * @throws Exception when training fails; its message is shown to the caller of the job endpoint
     */
    Predictor train(Request request, Progress progress) throws Exception;

    /**
     * What a training job was asked to do.
     *
     * @param storage   where the readings and events are
     * @param deviceIds the devices to train on (never empty)
     * @param from      inclusive start of the training period
     * @param to        exclusive end
     * @param epochs    requested maximum number of epochs, or {@code null} for the trainer's default
     */
    record Request(StorageBackend storage, List<String> deviceIds, Instant from, Instant to, Integer epochs) {
        /** Validates and copies. */
        public Request {
            Objects.requireNonNull(storage, "storage");
            deviceIds = List.copyOf(deviceIds);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * How the trained model classifies held-out data: the confusion-matrix counts at its decision
     * threshold and the ROC curve, which the job endpoint reports under {@code evaluation}.
     *
     * @param threshold      decision threshold of the counts
     * @param truePositives  failures predicted as failures
     * @param falsePositives normal windows predicted as failures
     * @param trueNegatives  normal windows predicted as normal
     * @param falseNegatives failures predicted as normal
     * @param rocCurve       ROC points in increasing false-positive rate (may be empty: one class only)
     * @param brierScore     mean squared error of the probability, NaN when unknown
     * @param reliability    reliability table of the probability (may be empty)
     */
    record Classification(double threshold, long truePositives, long falsePositives, long trueNegatives,
                          long falseNegatives, List<RocPoint> rocCurve, double brierScore,
                          List<ReliabilityRow> reliability) {
        /** Validates and copies. */
        public Classification {
            if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
                throw new IllegalArgumentException("confusion-matrix counts must be >= 0, but were tp=" + truePositives
                        + " fp=" + falsePositives + " tn=" + trueNegatives + " fn=" + falseNegatives);
            }
            rocCurve = List.copyOf(rocCurve);
            reliability = List.copyOf(reliability);
        }

        /**
         * Without calibration figures.
         *
         * @param threshold      decision threshold of the counts
         * @param truePositives  TP
         * @param falsePositives FP
         * @param trueNegatives  TN
         * @param falseNegatives FN
         * @param rocCurve       ROC points
         */
        public Classification(double threshold, long truePositives, long falsePositives, long trueNegatives,
                              long falseNegatives, List<RocPoint> rocCurve) {
            this(threshold, truePositives, falsePositives, trueNegatives, falseNegatives, rocCurve, Double.NaN,
                    List.of());
        }
    }

    /**
     * One bin of a reliability table: windows whose probability fell in {@code [from, to)}.
     *
     * @param from          lower edge
     * @param to            upper edge
     * @param count         windows in the bin
     * @param meanPredicted their mean predicted probability
     * @param observedRate  the fraction that failed
     */
    record ReliabilityRow(double from, double to, long count, double meanPredicted, double observedRate) {
    }

    /**
     * One point of a ROC curve.
     *
     * @param fpr       false-positive rate in {@code [0, 1]}
     * @param tpr       true-positive rate in {@code [0, 1]}
     * @param threshold decision threshold giving these rates
     */
    record RocPoint(double fpr, double tpr, double threshold) {
        /** Validates. */
        public RocPoint {
            if (!(fpr >= 0 && fpr <= 1) || !(tpr >= 0 && tpr <= 1)) {
                throw new IllegalArgumentException("ROC rates must be in [0, 1], but were fpr=" + fpr + " tpr=" + tpr);
            }
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("ROC threshold must be finite, but was " + threshold);
            }
        }
    }

    /** Receives a job's progress; thread-safe. */
    interface Progress {

        /**
         * An epoch finished.
         *
         * @param epoch          1-based
         * @param epochs         maximum number of epochs
         * @param trainLoss      training loss
         * @param validationLoss validation loss, or NaN
         */
        void epoch(int epoch, int epochs, double trainLoss, double validationLoss);

        /** @param message a line about what the trainer is doing now (loading data, evaluating, ...) */
        void stage(String message);

        /** @param metrics final metrics of the trained model (accuracy, f1, rmse, ...) */
        void metrics(Map<String, Double> metrics);

        /**
         * Reports the confusion matrix and ROC curve on held-out data. Default: ignored, so a host's own
         * {@code Progress} stays source compatible; the server's jobs report it.
         *
         * @param classification the evaluation
         */
        default void classification(Classification classification) {
        }

        /** @return whether the job was cancelled; a trainer stops at the next epoch and throws */
        boolean cancelled();
    }
}
