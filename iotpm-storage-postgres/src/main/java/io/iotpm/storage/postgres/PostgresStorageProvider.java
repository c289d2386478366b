package io.iotpm.storage.postgres;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code postgresql:} scheme:
 * {@code postgresql://USER@HOST[:PORT]/DATABASE[?poolSize=8&retryForMs=30000]}, see
 * {@link PostgresStorage}. The password is never part of the URI (URIs end up in logs and process
 * lists): it comes from the {@code PGPASSWORD} environment variable or pgjdbc's {@code ~/.pgpass}.
 */
public final class PostgresStorageProvider implements StorageProvider {

    /** Creates the provider; does nothing else. */
    public PostgresStorageProvider() {
    }

    @Override
    public String scheme() {
        return "postgresql";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        String path = location.path();
        URI uri;
        try {
            uri = new URI("postgresql:" + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("storage URI must look like " + description() + ": " + e.getReason());
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            // Not even the URI goes into this message: it holds the secret.
            throw new IllegalArgumentException("a postgresql storage URI must not hold a password; put it in the"
                    + " PGPASSWORD environment variable or ~/.pgpass instead");
        }
        location.requireKnownOptions(Set.of("poolSize", "retryForMs"));
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || db.isEmpty() || db.contains("/")) {
            throw new IllegalArgumentException("storage URI must look like " + description() + ", but was '"
                    + location.uri() + "'");
        }
        PostgresStorage.Builder b = PostgresStorage.builder(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db)
                .password(System.getenv("PGPASSWORD"))
                .poolSize(location.intOption("poolSize", PostgresStorage.DEFAULT_POOL_SIZE))
                .retryFor(Duration.ofMillis(location.intOption("retryForMs",
                        (int) PostgresStorage.DEFAULT_RETRY_FOR.toMillis())));
        if (userInfo != null) {
            b.user(uri.getUserInfo());
        }
        return b.build();
    }

    @Override
    public String description() {
        return "postgresql://USER@HOST[:PORT]/DATABASE[?poolSize=8&retryForMs=30000] (password in PGPASSWORD)";
    }
}
