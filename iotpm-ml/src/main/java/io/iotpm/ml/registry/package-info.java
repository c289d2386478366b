/**
 * A folder registry of trained models: every model saved by {@code iotpm-ml} (the LSTM, the anomaly
 * detector) is stored with its version, kind, schema, training data range, metrics, who registered it
 * and when; exactly one is active per schema, and activation and roll-back survive restarts.
 * {@link io.iotpm.ml.registry.ModelRegistry} is the facade; {@link io.iotpm.ml.registry.ModelEntry} the record.
 */
package io.iotpm.ml.registry;
