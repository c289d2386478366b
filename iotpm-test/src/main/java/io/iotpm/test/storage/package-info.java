/**
 * {@link io.iotpm.test.storage.StorageBackendContract}: the suite every
 * {@link io.iotpm.core.storage.StorageBackend} passes. A backend's test class extends it and says
 * how to open the backend; the suite writes, reads, reopens and hammers it from several threads.
 * It inherits {@link io.iotpm.test.storage.ReadingIdentityContract} ((device id, timestamp) is a
 * reading's identity, the last write wins) and the fixtures of
 * {@link io.iotpm.test.storage.StorageContractBase}.
 */
package io.iotpm.test.storage;
