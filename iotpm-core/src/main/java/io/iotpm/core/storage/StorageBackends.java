package io.iotpm.core.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens storage backends by URI: {@code memory:}, {@code csv:/var/iot},
 * {@code sqlite:/var/iot/iot.db?synchronous=full}, or any scheme a {@link StorageProvider} adds.
 *
 * <pre>{@code
 * try (StorageBackend store = StorageBackends.open("sqlite:data/iot.db")) { ... }      // class path
 *
 * StorageBackends backends = StorageBackends.builder()
 *         .register(new MyProvider())          // explicit registration wins
 *         .discover()                          // then ServiceLoader, by scheme
 *         .build();
 * StorageBackend store = backends.open("myscheme:somewhere");
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; there is no global registry. Providers are only
 * asked to open a backend when their scheme is used.
 */
public final class StorageBackends {

    private static final Logger LOG = LoggerFactory.getLogger(StorageBackends.class);

    private final Map<String, StorageProvider> providers;

    private StorageBackends(Map<String, StorageProvider> providers) {
        this.providers = Collections.unmodifiableMap(new TreeMap<>(providers));
    }

    /**
     * Opens a backend with the providers {@link ServiceLoader} finds on the class path of the
     * thread's context class loader (or this class's loader when there is none).
     *
     * @param uri a storage URI, see {@link StorageLocation}
     * @return the open backend; the caller closes it
     * @throws IllegalArgumentException on a malformed URI, an unknown scheme (naming the known
     *                                  ones) or a bad option
     * @throws StorageException         when the store cannot be opened
     */
    public static StorageBackend open(String uri) {
        return builder().discover().build().open(uri, true);
    }

    /** @return a builder with no providers */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param uri a storage URI, see {@link StorageLocation}
     * @return the open backend; the caller closes it
     * @throws IllegalArgumentException on a malformed URI, an unknown scheme (naming the known
     *                                  ones) or a bad option
     * @throws StorageException         when the store cannot be opened
     */
    public StorageBackend openUri(String uri) {
        return open(uri, false);
    }

    private StorageBackend open(String uri, boolean discovered) {
        StorageLocation location = StorageLocation.parse(uri);
        StorageProvider p = providers.get(location.scheme());
        if (p == null) {
            throw new IllegalArgumentException("no storage provider for scheme '" + location.scheme() + "' in '"
                    + uri + "'; known schemes: " + (providers.isEmpty() ? "(none)" : String.join(", ", providers.keySet()))
                    + (discovered ? " (a provider is found when its jar, e.g. iotpm-storage, is on the class path)" : ""));
        }
        StorageBackend backend = p.open(location);
        if (backend == null) {
            throw new IllegalStateException("storage provider " + p.getClass().getName() + " returned null for '" + uri + "'");
        }
        return backend;
    }

    /** @return the schemes this instance can open, sorted */
    public List<String> schemes() {
        return List.copyOf(providers.keySet());
    }

    /**
     * @param scheme a URI scheme
     * @return the provider for it, or {@code null}
     */
    public StorageProvider provider(String scheme) {
        return providers.get(scheme);
    }

    /** Collects providers; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final Map<String, StorageProvider> registered = new LinkedHashMap<>();
        private ClassLoader discoverFrom;
        private boolean discover;

        private Builder() {
        }

        /**
         * Registers a provider. Registered providers win over discovered ones for their scheme.
         *
         * @param provider the provider
         * @return this builder
         * @throws IllegalArgumentException if another provider was registered for the same scheme
         *                                  or the scheme is not a valid URI scheme
         */
        public Builder register(StorageProvider provider) {
            Objects.requireNonNull(provider, "provider");
            String scheme = checkScheme(provider);
            StorageProvider old = registered.get(scheme);
            if (old != null && old != provider) {
                throw new IllegalArgumentException("storage scheme '" + scheme + "' is already registered by "
                        + old.getClass().getName() + "; cannot register " + provider.getClass().getName());
            }
            registered.put(scheme, provider);
            return this;
        }

        /**
         * Also uses the providers {@link ServiceLoader} finds through the thread's context class
         * loader (or this class's loader), for schemes not registered explicitly.
         *
         * @return this builder
         */
        public Builder discover() {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            return discover(cl != null ? cl : StorageBackends.class.getClassLoader());
        }

        /**
         * Also uses the providers {@link ServiceLoader} finds through {@code loader}.
         *
         * @param loader where to look for {@code META-INF/services/io.iotpm.core.storage.StorageProvider}
         * @return this builder
         */
        public Builder discover(ClassLoader loader) {
            this.discoverFrom = Objects.requireNonNull(loader, "loader");
            this.discover = true;
            return this;
        }

        /**
         * @return the registry; discovery (if asked for) runs now, instantiating provider classes
         * @throws IllegalStateException when a discovered provider cannot be instantiated
         */
        public StorageBackends build() {
            Map<String, StorageProvider> all = new LinkedHashMap<>();
            if (discover) {
                Map<String, List<StorageProvider>> found = new TreeMap<>();
                try {
                    for (StorageProvider p : ServiceLoader.load(StorageProvider.class, discoverFrom)) {
                        found.computeIfAbsent(checkScheme(p), k -> new ArrayList<>()).add(p);
                    }
                } catch (ServiceConfigurationError e) {
                    throw new IllegalStateException("cannot load a storage provider from the class path: " + e.getMessage(), e);
                }
                for (Map.Entry<String, List<StorageProvider>> e : found.entrySet()) {
                    List<StorageProvider> candidates = new ArrayList<>(e.getValue());
                    // Deterministic: highest priority, then smallest class name.
                    candidates.sort(Comparator.comparingInt(StorageProvider::priority).reversed()
                            .thenComparing(p -> p.getClass().getName()));
                    if (candidates.size() > 1 && !registered.containsKey(e.getKey())) {
                        LOG.warn("{} storage providers for scheme '{}' on the class path; using {}", candidates.size(),
                                e.getKey(), candidates.get(0).getClass().getName());
                    }
                    all.put(e.getKey(), candidates.get(0));
                }
            }
            all.putAll(registered);
            return new StorageBackends(all);
        }

        private static String checkScheme(StorageProvider p) {
            String s = p.scheme();
            if (s == null || !s.matches("[a-z][a-z0-9+.-]*")) {
                throw new IllegalArgumentException("storage provider " + p.getClass().getName()
                        + " has an invalid scheme '" + s + "'; it must match [a-z][a-z0-9+.-]*");
            }
            return s;
        }
    }
}
