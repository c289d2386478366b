/**
 * The in-memory backend, for tests, demos and hot caches; nothing survives {@code close()}.
 * Public: {@link MemoryStorage} (a thin facade: builder, per-device locking) and
 * {@link MemoryStorageProvider} ({@code memory:?capacityPerDevice=100000}). Package-private:
 * {@code Ring}, one device's bounded, time-sorted ring buffer of readings and its events.
 */
package io.iotpm.storage.memory;
