package io.iotpm.alerts.store;

import io.iotpm.test.alerts.AlertStoreContract;

import java.nio.file.Path;

/** The alert store contract on the in-memory default. */
class MemoryAlertStoreContractTest extends AlertStoreContract {

    @Override
    protected AlertStore open(Path dir) {
        return AlertStore.inMemory();
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
