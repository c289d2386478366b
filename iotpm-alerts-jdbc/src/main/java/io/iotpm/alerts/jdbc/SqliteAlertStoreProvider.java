package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStoreProvider;
import io.iotpm.core.storage.StorageLocation;

import java.nio.file.Path;
import java.util.Set;

/** The {@code sqlite:PATH[?synchronous=normal|full]} scheme of {@link io.iotpm.alerts.store.AlertStores}. */
public final class SqliteAlertStoreProvider implements AlertStoreProvider {

    /** Creates the provider; does nothing else. */
    public SqliteAlertStoreProvider() {
    }

    @Override
    public String scheme() {
        return "sqlite";
    }

    @Override
    public AlertStore open(StorageLocation location) {
        location.requireKnownOptions(Set.of("synchronous"));
        if (location.path().isBlank()) {
            throw new IllegalArgumentException("alert store URI must look like " + description() + ", but was '"
                    + location.uri() + "'");
        }
        String sync = location.option("synchronous", "normal");
        if (!sync.equalsIgnoreCase("normal") && !sync.equalsIgnoreCase("full")) {
            throw new IllegalArgumentException("alert store option 'synchronous' must be normal or full, but was '"
                    + sync + "' in '" + location.uri() + "'");
        }
        return JdbcAlertStore.sqlite(Path.of(location.path()), sync.equalsIgnoreCase("full"));
    }

    @Override
    public String description() {
        return "sqlite:PATH[?synchronous=normal|full]";
    }
}
