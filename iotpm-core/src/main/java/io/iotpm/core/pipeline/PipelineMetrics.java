package io.iotpm.core.pipeline;

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
 */
public record PipelineMetrics(long readingsReceived, long readingsStored, long readingsPending,
                              long readingsRejected, long readingsLost, long storageBatches, long storageErrors,
                              long predictions, long predictionBatches, long predictorErrors,
                              long listenerErrors, int devices, long readingsOutOfOrder,
                              long readingsReplaced) {
}
