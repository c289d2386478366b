package io.iotpm.alerts.store;

import io.iotpm.core.storage.StorageLocation;

/**
 * Plugs an {@link AlertStore} into {@link AlertStores}: a URI scheme and a factory, found by
 * {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.iotpm.alerts.store.AlertStoreProvider}, like the storage backends'
 * {@link io.iotpm.core.storage.StorageProvider}. Implementations have a public no-argument
 * constructor and do nothing until {@link #open(StorageLocation)}.
 */
public interface AlertStoreProvider {

    /** @return the URI scheme this provider opens, lower case, e.g. {@code sqlite} */
    String scheme();

    /**
     * @param location the parsed URI, whose scheme is {@link #scheme()}
     * @return an open store; the caller closes it
     * @throws IllegalArgumentException on a bad path or option, naming it
     */
    AlertStore open(StorageLocation location);

    /** @return one line for error messages, e.g. {@code "sqlite:PATH"} */
    default String description() {
        return scheme() + ":...";
    }
}
