/**
 * The monitoring pipeline: the glue from a stream of readings to storage, predictions and alerts.
 *
 * <p>{@link io.iotpm.core.pipeline.MonitoringPipeline} subscribes to a hub's readings, stores them
 * in batches, keeps a sliding window per device, runs the predictor on due windows in micro-batches
 * and publishes the predictions; {@link io.iotpm.core.pipeline.PipelineMetrics} says how it went.
 */
package io.iotpm.core.pipeline;
