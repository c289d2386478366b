package io.iotpm.core.storage;

import java.util.Collection;
import java.util.ServiceLoader;

/**
 * Plugs a storage backend into {@link StorageBackends}: a URI scheme and a factory that opens a
 * backend for a {@link StorageLocation}. Register one explicitly with
 * {@link StorageBackends.Builder#register(StorageProvider)}, or list its class in
 * {@code META-INF/services/io.iotpm.core.storage.StorageProvider} so {@link ServiceLoader}
 * finds it on the class path.
 *
 * <p>Implementations must have a public no-argument constructor (for {@code ServiceLoader}) and
 * do nothing on construction: no files, no threads, no connections. Everything happens in
 * {@link #open(StorageLocation)}. Methods with default bodies may be added in later versions.
 */
public interface StorageProvider {

    /** @return the URI scheme this provider opens, lower case, e.g. {@code sqlite} */
    String scheme();

    /**
     * Opens (creating when needed) the backend at a location whose scheme is {@link #scheme()}.
     *
     * @param location the parsed URI; unknown options should be rejected with
     *                 {@link StorageLocation#requireKnownOptions(Collection)}
     * @return an open backend; the caller closes it
     * @throws IllegalArgumentException on a bad path or option, naming it
     * @throws StorageException         when the store exists but cannot be opened (not a store, corrupt)
     */
    StorageBackend open(StorageLocation location);

    /** @return one line for error messages and listings, e.g. {@code "sqlite:PATH[?synchronous=normal|full]"} */
    default String description() {
        return scheme() + ":...";
    }

    /**
     * Breaks ties when two providers discovered on the class path claim the same scheme: the
     * higher priority wins, then the smaller class name. Explicitly registered providers always
     * win over discovered ones.
     *
     * @return the priority, 0 by default
     */
    default int priority() {
        return 0;
    }
}
