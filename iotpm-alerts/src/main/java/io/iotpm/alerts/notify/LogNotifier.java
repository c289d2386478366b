package io.iotpm.alerts.notify;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.Notifier;
import io.iotpm.alerts.Priority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes notifications to slf4j logger {@code io.iotpm.alerts}: HIGH and CRITICAL at WARN, the rest
 * at INFO.
 */
public final class LogNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger("io.iotpm.alerts");

    /** Creates a log notifier. */
    public LogNotifier() {
    }

    @Override
    public void send(AlertNotification n) {
        Alert a = n.alert();
        if (a.priority().compareTo(Priority.HIGH) >= 0) {
            LOG.warn("{} {} #{} [{}] {}", a.priority(), n.event(), a.id(), a.rule(), a.message());
        } else {
            LOG.info("{} {} #{} [{}] {}", a.priority(), n.event(), a.id(), a.rule(), a.message());
        }
    }

    @Override
    public boolean accepts(AlertNotification.Event event) {
        return true;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String kind() {
        return "log";
    }
}
