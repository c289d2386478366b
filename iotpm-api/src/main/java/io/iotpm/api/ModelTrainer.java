package io.iotpm.api;

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

        /** @return whether the job was cancelled; a trainer stops at the next epoch and throws */
        boolean cancelled();
    }
}
