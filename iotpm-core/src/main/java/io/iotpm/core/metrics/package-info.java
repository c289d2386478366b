/**
 * Small, dependency-free values that other modules turn into metrics: {@link io.iotpm.core.metrics.Distribution}
 * (count, total and largest of a measured quantity) with its thread-safe
 * {@link io.iotpm.core.metrics.DistributionRecorder}, and {@link io.iotpm.core.metrics.AlertCounts}, the alert
 * figures a metrics binder may read without knowing the alerts module. Nothing here depends on a metrics library:
 * {@code iotpm-micrometer} binds these to Micrometer meters.
 */
package io.iotpm.core.metrics;
