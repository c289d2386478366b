package io.iotpm.examples.cli;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.notify.WebhookNotifier;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.api.IotpmServer;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.util.concurrent.CountDownLatch;

/**
 * The API process {@link AlertRestartTest} kills: storage, alert store and alert manager wired as
 * {@code ./iotpm api} wires them ({@link ApiCommand#openAlertStore}, {@link ApiCommand#alertManager}),
 * plus a webhook notifier to the test's receiver, and the server in demo mode on a free port. Prints
 * {@code PORT n} when it serves, then waits to be killed.
 *
 * <p>Arguments: the storage URI, the webhook URL.
 */
public final class AlertApiChild {

    private AlertApiChild() {
    }

    /** @param args storage URI, webhook URL */
    public static void main(String[] args) throws Exception {
        StorageBackend store = StorageBackends.open(args[0]);
        AlertStore alertStore = ApiCommand.openAlertStore(args[0]);
        AlertManager alerts = ApiCommand.alertManager(IotpmConfig.builder().build(), alertStore)
                .notifier(WebhookNotifier.builder(args[1]).build()).build();
        IotpmServer server = IotpmServer.builder().port(0).storage(store).storageUri(args[0]).alerts(alerts)
                .demoMode(true).build().start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
