/**
 * The PostgreSQL storage backend. {@link io.iotpm.storage.postgres.PostgresStorage} is the facade
 * (its class comment shows the layout: daily range partitions of a readings table keyed by
 * (device, ts)); {@link io.iotpm.storage.postgres.PostgresStorageProvider} opens it for
 * {@code postgresql://user@host:port/db} URIs through {@code StorageBackends}. The package-private
 * parts each have one job: {@code PgSchema} the metadata, migrations and the refusal of foreign
 * databases, {@code PgPartitions} creating and dropping partitions, {@code PgWriter} the
 * COPY-and-upsert batches, {@code PgReader} the queries, {@code PgErrors} retry decisions and
 * messages, {@code PgValues} argument checks and nanosecond timestamps.
 */
package io.iotpm.storage.postgres;
