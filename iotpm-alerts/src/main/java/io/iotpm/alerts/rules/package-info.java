/**
 * The built-in alert rules and the plug-in SPI.
 *
 * <p>{@link io.iotpm.alerts.rules.AlertRules#defaults(io.iotpm.core.SensorSchema)} derives a rule set from
 * a schema (range, limit, sensor fault, anomaly per channel; health; no data; failure risk).
 * {@link io.iotpm.alerts.rules.DriftRules} alert on input drift reported by a
 * {@link io.iotpm.core.drift.DriftMonitor}. {@link io.iotpm.alerts.rules.AlertRuleProvider} lets a jar on the
 * class path contribute rules.
 */
package io.iotpm.alerts.rules;
