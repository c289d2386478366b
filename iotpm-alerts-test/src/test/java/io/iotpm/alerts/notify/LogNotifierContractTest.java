package io.iotpm.alerts.notify;

import io.iotpm.alerts.Notifier;
import io.iotpm.test.alerts.NotifierContract;

/**
 * The log notifier passes the notifier contract; it cannot fail, and its destination (the logging
 * backend) is not something the test reads, so those two tests are skipped.
 */
class LogNotifierContractTest extends NotifierContract {

    @Override
    protected Notifier createNotifier() {
        return new LogNotifier();
    }
}
