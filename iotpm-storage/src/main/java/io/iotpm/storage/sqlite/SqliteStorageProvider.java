package io.iotpm.storage.sqlite;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code sqlite:} scheme: {@code sqlite:PATH[?synchronous=normal|full&readers=4&busyTimeoutMs=5000]},
 * see {@link SqliteStorage}.
 */
public final class SqliteStorageProvider implements StorageProvider {

    /** Creates the provider; does nothing else. */
    public SqliteStorageProvider() {
    }

    @Override
    public String scheme() {
        return "sqlite";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        location.requireKnownOptions(Set.of("synchronous", "readers", "busyTimeoutMs"));
        String path = location.requirePath();
        SqliteStorage.Builder b = SqliteStorage.builder(Path.of(path));
        String sync = location.option("synchronous");
        if (sync != null) {
            try {
                b.synchronous(SqliteStorage.Synchronous.valueOf(sync.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage option 'synchronous' must be normal or full, but was '"
                        + sync + "' in '" + location.uri() + "'", e);
            }
        }
        b.readers(location.intOption("readers", SqliteStorage.DEFAULT_READERS));
        b.busyTimeout(Duration.ofMillis(location.intOption("busyTimeoutMs",
                (int) SqliteStorage.DEFAULT_BUSY_TIMEOUT.toMillis())));
        return b.build();
    }

    @Override
    public String description() {
        return "sqlite:PATH[?synchronous=normal|full&readers=4&busyTimeoutMs=5000]";
    }
}
