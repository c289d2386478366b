package io.iotpm.storage.memory;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.util.Set;

/** The {@code memory:} scheme: {@code memory:?capacityPerDevice=100000}. The path is ignored. */
public final class MemoryStorageProvider implements StorageProvider {

    /** Creates the provider; does nothing else. */
    public MemoryStorageProvider() {
    }

    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        location.requireKnownOptions(Set.of("capacityPerDevice"));
        return MemoryStorage.builder()
                .capacityPerDevice(location.intOption("capacityPerDevice", MemoryStorage.DEFAULT_CAPACITY_PER_DEVICE))
                .build();
    }

    @Override
    public String description() {
        return "memory:[?capacityPerDevice=" + MemoryStorage.DEFAULT_CAPACITY_PER_DEVICE + "]";
    }
}
