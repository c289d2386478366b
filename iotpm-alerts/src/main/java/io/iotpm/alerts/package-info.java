/**
 * Alerts: rules that watch readings and predictions, and a manager that tracks what they raise.
 *
 * <p>An {@link io.iotpm.alerts.AlertRule} pairs a {@link io.iotpm.alerts.Condition} with a priority, a
 * message template and a cooldown. The {@link io.iotpm.alerts.AlertManager} evaluates rules per device,
 * deduplicates, tracks each {@link io.iotpm.alerts.Alert} from ACTIVE to RESOLVED, and hands
 * {@link io.iotpm.alerts.AlertNotification}s to {@link io.iotpm.alerts.Notifier}s on their own threads.
 */
package io.iotpm.alerts;

/*
 * Inside (package-private, not API): AlertManager is a facade over RuleEngine (rules, per-device
 * DeviceState, evaluation, no-data detection), AlertBook (Entry life cycle, cooldown, silences and
 * inhibition, history, queries), Silences, NotifierHub (one Dispatcher thread and queue per notifier
 * or callback, test sends; the core Backoff spaces retries) and Sweeper (when time-based work runs).
 * ConditionStates holds the per-device state machines behind Condition; MessageTemplate renders
 * messages. DeviceState's class comment states the one lock they all share.
 */
