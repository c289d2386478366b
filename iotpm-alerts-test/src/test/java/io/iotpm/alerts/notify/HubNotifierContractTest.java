package io.iotpm.alerts.notify;

import io.iotpm.alerts.Notifier;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.test.alerts.NotifierContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The hub notifier passes the notifier contract: a subscriber to the alerts topic is its destination. */
class HubNotifierContractTest extends NotifierContract {

    private final StreamHub hub = StreamHub.inMemory().build();
    private final List<String> got = new CopyOnWriteArrayList<>();

    @BeforeEach
    void subscribe() {
        hub.subscribe(HubNotifier.TOPIC, n -> got.add(n.toString()));
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    @Override
    protected Notifier createNotifier() {
        return HubNotifier.to(hub);
    }

    @Override
    protected List<String> received() {
        return List.copyOf(got);
    }

    @Override
    protected Notifier unreachableNotifier() {
        StreamHub closed = StreamHub.inMemory().build();
        closed.close();
        return HubNotifier.to(closed);
    }
}
