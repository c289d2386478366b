/**
 * Input drift: do live readings still look like the data a model was trained on?
 *
 * <p>{@link io.iotpm.core.drift.DriftReference} holds, per channel, bins cut at the training data's
 * quantiles and the training share of each bin. {@link io.iotpm.core.drift.DriftMonitor} is a
 * {@link io.iotpm.core.MonitoringListener} that keeps a sliding window of live readings per device group
 * and the population stability index (PSI) of each channel against the reference, updated in O(1) per
 * reading and channel; {@link io.iotpm.core.drift.DriftSnapshot} is what it reports.
 */
package io.iotpm.core.drift;
