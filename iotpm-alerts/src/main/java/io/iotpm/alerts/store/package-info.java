/**
 * Durable alerts: the {@link io.iotpm.alerts.store.AlertStore} SPI that an
 * {@link io.iotpm.alerts.AlertManager} writes its alerts, silences, rule edits and id sequences to,
 * and reloads from on start.
 *
 * <p>{@link io.iotpm.alerts.store.AlertStore#inMemory()} is the default (nothing survives the JVM);
 * {@link io.iotpm.alerts.store.AlertStores#open(String)} opens one by URI through the
 * {@link io.iotpm.alerts.store.AlertStoreProvider}s on the class path ({@code iotpm-alerts-jdbc} adds
 * {@code sqlite:} and {@code postgresql:}).
 */
package io.iotpm.alerts.store;
