package io.iotpm.core.pipeline;

import io.iotpm.core.metrics.Distribution;

/**
 * A snapshot of a {@link MonitoringPipeline}'s counters. Every received reading is, at any time,
 * exactly one of stored, pending, rejected or lost:
 * {@code readingsReceived == readingsStored + readingsPending + readingsRejected + readingsLost}.
 *
 * @param readingsReceived  readings taken from the hub
 * @param readingsStored    readings the storage acknowledged
 * @param readingsPending   readings buffered for storage (batching, or waiting for a retry)
 * @param readingsRejected  readings the storage refused as invalid for it (logged with the device id)
 * @param readingsLost      readings still unstored when {@code close()} gave up on a failing storage
 * @param storageBatches    successful {@code appendAll} calls
 * @param storageErrors     failed storage calls (each retried with backoff)
 * @param predictions       predictions made and published
 * @param predictionBatches {@code predictBatch} calls
 * @param predictorErrors   windows the predictor failed on (logged with the device id)
 * @param listenerErrors    listener calls that threw
 * @param devices           devices the pipeline keeps a window for
 * @param readingsOutOfOrder readings that reached their device's window no newer than its newest
 *                          reading (late or repeated): inserted in time order, replacing, or left out
 *                          when older than the whole window; all of them are stored
 * @param readingsReplaced  of those, readings whose timestamp was already in the window and replaced
 *                          that reading (a redelivery or a correction: the last write wins)
 * @param storageWrites     duration of every storage write call ({@code appendAll}, and {@code append} when a
 *                          refused batch is written one by one), successful or not, in nanoseconds
 * @param storageBatchSizes readings per successful {@code appendAll} call
 * @param predictorCalls    duration of every predictor call ({@code predictBatch}, and {@code predict} when a
 *                          failed batch is retried window by window), successful or not, in nanoseconds
 * @param predictionLatency per prediction batch, nanoseconds from its first window becoming due to its
 *                          predictions being published (batching wait plus predictor time)
 * @param modelVersion      {@link io.iotpm.core.Prediction#modelVersion()} of the latest prediction, or
 *                          {@code null} before the first
 */
public record PipelineMetrics(long readingsReceived, long readingsStored, long readingsPending,
                              long readingsRejected, long readingsLost, long storageBatches, long storageErrors,
                              long predictions, long predictionBatches, long predictorErrors,
                              long listenerErrors, int devices, long readingsOutOfOrder,
                              long readingsReplaced, Distribution storageWrites,
                              Distribution storageBatchSizes, Distribution predictorCalls,
                              Distribution predictionLatency, String modelVersion) {

    /**
     * The counters alone, with empty distributions and no model version (the shape before timings existed).
     *
     * @param readingsReceived  readings taken from the hub
     * @param readingsStored    readings written to storage
     * @param readingsPending   readings waiting for storage
     * @param readingsRejected  readings refused
     * @param readingsLost      readings lost
     * @param storageBatches    storage batches
     * @param storageErrors     failed storage calls
     * @param predictions       predictions published
     * @param predictionBatches predictor batches
     * @param predictorErrors   windows the predictor failed on
     * @param listenerErrors    listener calls that threw
     * @param devices           devices with a window
     */
    public PipelineMetrics(long readingsReceived, long readingsStored, long readingsPending,
                           long readingsRejected, long readingsLost, long storageBatches, long storageErrors,
                           long predictions, long predictionBatches, long predictorErrors,
                           long listenerErrors, int devices) {
        this(readingsReceived, readingsStored, readingsPending, readingsRejected, readingsLost, storageBatches,
                storageErrors, predictions, predictionBatches, predictorErrors, listenerErrors, devices, 0, 0,
                Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, Distribution.EMPTY, null);
    }
}
