/**
 * The CSV backend: one append-only CSV file per device and UTC day, with commit numbers so a
 * crash never leaves half a batch. URI: {@code csv:/var/iot[?fsync=true]}.
 *
 * <p>Public: {@link CsvStorage} (builder and facade: locking, index, write orchestration) and
 * {@link CsvStorageProvider}. Package-private, one job each: {@code CsvLayout} (file names,
 * metadata file), {@code CommitFile} (the last committed write), {@code CsvRecovery} (scan and
 * repair on open), {@code CsvRowCodec} (rows to text and back), {@code AppenderCache} (open files,
 * all-or-nothing appends), {@code StoredKeys} (timestamps of files written out of order, so a
 * replaced reading is not counted twice), {@code CsvReader} (reads, one reading per timestamp, with
 * {@code DeviceIndex}'s tail of newest readings), {@code CsvRetention} (deleting old rows,
 * compacting superseded ones).
 */
package io.iotpm.storage.csv;
