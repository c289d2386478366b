/**
 * {@link io.iotpm.test.alerts.NotifierContract}: the suite every {@link io.iotpm.alerts.Notifier}
 * passes. A notifier's test class extends it, says how to make one and, where it can, what its
 * destination received; the log, hub, webhook and e-mail notifiers run it in this module's tests.
 */
package io.iotpm.test.alerts;
