/**
 * The monitoring pipeline: the glue from a stream of readings to storage, predictions and alerts.
 *
 * <p>{@link io.iotpm.core.pipeline.MonitoringPipeline} is the public face: it subscribes to a hub's
 * readings, hands each to its listeners, and drives three package-private parts under one lock: a
 * storage batcher (batches, retries with a {@link io.iotpm.core.time.Backoff}, back-pressure, and
 * reading-by-reading retry of a batch the storage refuses), a prediction scheduler (per-device
 * sliding windows, due windows run in micro-batches, predictions published) and a listener fan-out
 * (errors isolated and counted). {@link io.iotpm.core.pipeline.PipelineMetrics} says how it went.
 */
package io.iotpm.core.pipeline;
