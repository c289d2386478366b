package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.test.alerts.AlertStoreContract;

import java.nio.file.Path;

/** The alert store contract on an SQLite file. */
class SqliteAlertStoreContractTest extends AlertStoreContract {

    @Override
    protected AlertStore open(Path dir) {
        return JdbcAlertStore.sqlite(dir.resolve("alerts.db"));
    }
}
