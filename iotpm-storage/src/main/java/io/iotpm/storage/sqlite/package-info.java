/**
 * The SQLite backend: {@link io.iotpm.storage.sqlite.SqliteStorage}, a real database file in WAL
 * mode with one row per reading and one column per channel. URI:
 * {@code sqlite:/var/iot/iot.db?synchronous=normal|full&readers=4&busyTimeoutMs=5000}.
 */
package io.iotpm.storage.sqlite;
