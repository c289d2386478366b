/**
 * The CSV backend: {@link io.iotpm.storage.csv.CsvStorage}, one append-only CSV file per device
 * and day, with commit numbers so a crash never leaves half a batch. URI:
 * {@code csv:/var/iot[?fsync=true]}.
 */
package io.iotpm.storage.csv;
