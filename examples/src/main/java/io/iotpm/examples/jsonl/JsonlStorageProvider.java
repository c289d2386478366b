package io.iotpm.examples.jsonl;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code jsonl:DIR} scheme, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.iotpm.core.storage.StorageProvider}, so that
 * {@code StorageBackends.open("jsonl:/var/iot")} works once this jar is on the class path.
 */
public final class JsonlStorageProvider implements StorageProvider {

    /** Creates the provider; does nothing else (ServiceLoader instantiates it eagerly). */
    public JsonlStorageProvider() {
    }

    @Override
    public String scheme() {
        return "jsonl";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        location.requireKnownOptions(Set.of());
        return new JsonlStorage(Path.of(location.requirePath()));
    }

    @Override
    public String description() {
        return "jsonl:DIR (example plugin; industrial motor schema only)";
    }
}
