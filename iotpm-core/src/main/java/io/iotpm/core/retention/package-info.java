/**
 * Retention on a schedule. {@link io.iotpm.core.retention.RetentionTask} removes, at a fixed
 * interval, what is older than each target's age; {@link io.iotpm.core.retention.Retainable} is
 * one kind of data that can be trimmed (stored readings, stored events, or anything a host plugs
 * in, such as an alert store's history); {@link io.iotpm.core.retention.RetentionMetrics} counts
 * runs and removals.
 */
package io.iotpm.core.retention;
