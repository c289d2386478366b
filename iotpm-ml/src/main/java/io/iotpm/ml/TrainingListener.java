package io.iotpm.ml;

/**
 * Follows training, e.g. to draw a progress bar or loss curves. Called on the training thread;
 * keep it quick.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() { };

    /**
     * A batch finished.
     *
     * @param epoch   1-based epoch
     * @param batch   1-based batch within the epoch
     * @param batches batches per epoch
     */
    default void onBatch(int epoch, int batch, int batches) {
    }

    /**
     * An epoch finished.
     *
     * @param stats  its losses and metric
     * @param epochs configured maximum number of epochs
     */
    default void onEpoch(TrainingReport.Epoch stats, int epochs) {
    }
}
