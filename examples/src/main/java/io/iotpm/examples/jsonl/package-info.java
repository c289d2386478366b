/**
 * Example storage plugin: a {@code jsonl:} scheme that keeps readings and events as JSON lines.
 * Shows what a host needs to add its own backend: a {@link io.iotpm.core.storage.StorageProvider}
 * listed in {@code META-INF/services}, and a backend that passes {@code StorageBackendContract}.
 */
package io.iotpm.examples.jsonl;
