/**
 * The in-memory backend: {@link io.iotpm.storage.memory.MemoryStorage}, one bounded ring buffer
 * per device, for tests, demos and hot caches. Nothing survives {@code close()}. URI:
 * {@code memory:?capacityPerDevice=100000}.
 */
package io.iotpm.storage.memory;
