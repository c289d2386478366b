/**
 * The storage SPI: {@link io.iotpm.core.storage.StorageBackend} is what the pipeline and the API
 * write to and read from. Backends live in {@code iotpm-storage} or in a host's own jar.
 */
package io.iotpm.core.storage;
