package io.iotpm.alerts.store;

import io.iotpm.core.storage.StorageLocation;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens {@link AlertStore}s by URI: {@code memory:} (built in), and every scheme an
 * {@link AlertStoreProvider} on the class path adds ({@code iotpm-alerts-jdbc}: {@code sqlite:PATH},
 * {@code postgresql://USER@HOST[:PORT]/DATABASE}).
 *
 * <pre>{@code
 * try (AlertStore store = AlertStores.open(AlertStores.besideStorage("sqlite:data/iot.db"))) {  // data/iot.alerts.db
 *     AlertManager alerts = AlertManager.builder().store(store).rules(...).build();
 * }
 * }</pre>
 */
public final class AlertStores {

    private AlertStores() {
    }

    /**
     * Opens a store with the providers found on the class path of the thread's context class loader.
     *
     * @param uri {@code memory:}, or a scheme of a provider on the class path
     * @return the open store; the caller closes it
     * @throws IllegalArgumentException on a malformed URI or an unknown scheme (naming the known ones)
     */
    public static AlertStore open(String uri) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        List<AlertStoreProvider> found = ServiceLoader.load(AlertStoreProvider.class,
                cl != null ? cl : AlertStores.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
        return open(uri, found);
    }

    /**
     * Opens a store with the given providers only (explicit registration, no class-path scan).
     *
     * @param uri       the store URI
     * @param providers the providers to choose from; the first one of a scheme wins
     * @return the open store
     * @throws IllegalArgumentException on a malformed URI or an unknown scheme (naming the known ones)
     */
    public static AlertStore open(String uri, List<AlertStoreProvider> providers) {
        StorageLocation loc = StorageLocation.parse(Objects.requireNonNull(uri, "uri"));
        if (loc.scheme().equals("memory")) {
            loc.requireKnownOptions(List.of());
            return AlertStore.inMemory();
        }
        Map<String, AlertStoreProvider> byScheme = new TreeMap<>();
        for (AlertStoreProvider p : providers) {
            byScheme.putIfAbsent(p.scheme(), p);
        }
        AlertStoreProvider p = byScheme.get(loc.scheme());
        if (p == null) {
            StringBuilder known = new StringBuilder("memory:");
            byScheme.values().forEach(v -> known.append(", ").append(v.description()));
            throw new IllegalArgumentException("no alert store for scheme '" + loc.scheme() + "' in '" + uri
                    + "'; known: " + known + " (add iotpm-alerts-jdbc for sqlite and postgresql)");
        }
        return p.open(loc);
    }

    /**
     * The alert store that goes with a storage URI, so setting {@code STORAGE_URI} is enough:
     * {@code sqlite:DIR/NAME.db} → {@code sqlite:DIR/NAME.alerts.db} (a sibling file: alert writes never
     * wait for the readings' write lock, and readings retention never touches alerts);
     * {@code csv:DIR} → {@code sqlite:DIR/alerts.db}; {@code postgresql:...} → the same database
     * (tables {@code iotpm_alert*}); anything else ({@code memory:}, {@code redis:...}) → {@code memory:}.
     * Storage options are not carried over.
     *
     * @param storageUri a storage URI
     * @return the alert store URI
     * @throws IllegalArgumentException on a malformed storage URI
     */
    public static String besideStorage(String storageUri) {
        StorageLocation loc = StorageLocation.parse(Objects.requireNonNull(storageUri, "storageUri"));
        String path = loc.path();
        return switch (loc.scheme()) {
            case "sqlite" -> {
                String base = path.endsWith(".db") ? path.substring(0, path.length() - 3) : path;
                yield "sqlite:" + base + ".alerts.db";
            }
            case "csv" -> "sqlite:" + (path.isEmpty() ? "" : path.endsWith("/") ? path : path + "/") + "alerts.db";
            case "postgresql" -> "postgresql:" + path;
            default -> "memory:";
        };
    }
}
