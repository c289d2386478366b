/**
 * The SQLite backend: a real database file in WAL mode with one row per reading and one column
 * per channel. URI: {@code sqlite:/var/iot/iot.db?synchronous=normal|full&readers=4&busyTimeoutMs=5000}.
 *
 * <p>Public: {@link SqliteStorage} (builder and facade: lifecycle, argument checks) and
 * {@link SqliteStorageProvider}. Package-private, one job each: {@code SqliteSchema} (pragmas,
 * format version and migrations), {@code SqliteWriter} (the one writing connection, batched
 * inserts), {@code ReaderPool} and {@code SqliteReader} (read connections and their queries),
 * {@code SqliteConnections} and {@code SqliteValues} (opening connections, value encoding).
 */
package io.iotpm.storage.sqlite;
