/**
 * Notifiers: where alert notifications go.
 *
 * <p>{@link io.iotpm.alerts.notify.LogNotifier} writes to slf4j, {@link io.iotpm.alerts.notify.WebhookNotifier}
 * POSTs {@link io.iotpm.alerts.notify.AlertJson} with the JDK HTTP client, and
 * {@link io.iotpm.alerts.notify.EmailNotifier} sends mail over SMTP (Jakarta Mail / Eclipse Angus),
 * configured by {@link io.iotpm.alerts.notify.EmailSettings}.
 */
package io.iotpm.alerts.notify;
