/**
 * The alerts test kit: {@link io.iotpm.test.alerts.NotifierContract}, the suite every
 * {@link io.iotpm.alerts.Notifier} passes (the log, hub, webhook and e-mail notifiers run it in
 * this module's tests), and {@link io.iotpm.test.alerts.AlertRuleProviderContract}, the suite every
 * rule provider found through {@code ServiceLoader} passes, and
 * {@link io.iotpm.test.alerts.AlertStoreContract}, the suite every
 * {@link io.iotpm.alerts.store.AlertStore} passes (memory here, SQLite and PostgreSQL in
 * {@code iotpm-alerts-jdbc}).
 */
package io.iotpm.test.alerts;
