/**
 * The storage SPI: {@link io.iotpm.core.storage.StorageBackend} is what the pipeline and the API
 * write to and read from; {@link io.iotpm.core.storage.StorageBackends} opens one by URI
 * ({@code memory:}, {@code csv:dir}, {@code sqlite:file.db}); a
 * {@link io.iotpm.core.storage.StorageProvider} adds a scheme. Backends live in
 * {@code iotpm-storage} or in a host's own jar.
 */
package io.iotpm.core.storage;
