package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStoreProvider;
import io.iotpm.core.storage.StorageLocation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The {@code postgresql://USER@HOST[:PORT]/DATABASE} scheme of
 * {@link io.iotpm.alerts.store.AlertStores}, the storage backend's URI form, so one {@code STORAGE_URI}
 * serves both. The password comes from {@code PGPASSWORD} (or pgjdbc's {@code ~/.pgpass}), never from
 * the URI. Storage-only options ({@code poolSize}, {@code retryForMs}) are accepted and ignored: the
 * alert store keeps one connection.
 */
public final class PostgresAlertStoreProvider implements AlertStoreProvider {

    /** Creates the provider; does nothing else. */
    public PostgresAlertStoreProvider() {
    }

    @Override
    public String scheme() {
        return "postgresql";
    }

    @Override
    public AlertStore open(StorageLocation location) {
        location.requireKnownOptions(Set.of("poolSize", "retryForMs"));
        URI uri;
        try {
            uri = new URI("postgresql:" + location.path());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("alert store URI must look like " + description() + ": " + e.getReason());
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("a postgresql alert store URI must not hold a password; put it in"
                    + " PGPASSWORD or ~/.pgpass instead");
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || db.isEmpty() || db.contains("/")) {
            throw new IllegalArgumentException("alert store URI must look like " + description() + ", but was '"
                    + location.uri() + "'");
        }
        String url = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/" + db;
        return JdbcAlertStore.open(url, userInfo, System.getenv("PGPASSWORD"));
    }

    @Override
    public String description() {
        return "postgresql://USER@HOST[:PORT]/DATABASE (password in PGPASSWORD)";
    }
}
