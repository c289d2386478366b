/**
 * Durable alerts on SQL: {@link io.iotpm.alerts.jdbc.JdbcAlertStore} keeps an
 * {@link io.iotpm.alerts.AlertManager}'s alerts, silences, rule edits and id sequences in four
 * {@code iotpm_alert*} tables of an SQLite file or a PostgreSQL database.
 *
 * <p>{@link io.iotpm.alerts.jdbc.SqliteAlertStoreProvider} ({@code sqlite:PATH}) and
 * {@link io.iotpm.alerts.jdbc.PostgresAlertStoreProvider} ({@code postgresql://USER@HOST/DB}) make
 * them reachable through {@link io.iotpm.alerts.store.AlertStores#open(String)}.
 */
package io.iotpm.alerts.jdbc;

/*
 * Inside: JdbcAlertStore is the facade and holds the SQL; Connector owns the connection (one,
 * reopened after a failure, or a host's DataSource); AlertRows maps rows to values; Dialect has the
 * few statements that differ.
 */
