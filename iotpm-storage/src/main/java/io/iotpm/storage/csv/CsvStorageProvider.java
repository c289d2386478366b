package io.iotpm.storage.csv;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.nio.file.Path;
import java.util.Set;

/** The {@code csv:} scheme: {@code csv:DIR[?fsync=true]}, see {@link CsvStorage}. */
public final class CsvStorageProvider implements StorageProvider {

    /** Creates the provider; does nothing else. */
    public CsvStorageProvider() {
    }

    @Override
    public String scheme() {
        return "csv";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        location.requireKnownOptions(Set.of("fsync"));
        return CsvStorage.builder(Path.of(location.requirePath()))
                .fsync(location.booleanOption("fsync", false))
                .build();
    }

    @Override
    public String description() {
        return "csv:DIR[?fsync=false]";
    }
}
