/**
 * {@link io.iotpm.test.storage.StorageBackendContract}: the suite every
 * {@link io.iotpm.core.storage.StorageBackend} passes. A backend's test class extends it and says
 * how to open the backend; the suite writes, reads, reopens and hammers it from several threads.
 */
package io.iotpm.test.storage;
