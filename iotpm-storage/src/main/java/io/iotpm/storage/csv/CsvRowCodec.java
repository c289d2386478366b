package io.iotpm.storage.csv;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Rows to text and back: a reading is {@code seq,timestamp,health_score,values...} and an event
 * {@code seq,device_id,timestamp,kind,detail}, with an empty field for NaN. Parsing fails with a
 * {@link StorageException} naming the store, file and line.
 */
final class CsvRowCodec {

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final String location;

    /** @param location the store's location, which starts every message */
    CsvRowCodec(String location) {
        this.location = location;
    }

    /** @return the fields of a reading's row, written with write number {@code seq} */
    static Object[] row(String seq, SensorReading r) {
        int n = r.schema().size();
        Object[] row = new Object[3 + n];
        row[0] = seq;
        row[1] = r.timestamp().toString();
        row[2] = text(r.healthScore());
        for (int i = 0; i < n; i++) {
            row[3 + i] = text(r.value(i));
        }
        return row;
    }

    private static String text(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** Appends one CSV line. */
    static void print(StringBuilder b, Object... row) {
        try {
            FORMAT.printRecord(b, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringBuilder does not throw
        }
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    StorageException corrupt(Path f, int line, String what) {
        return new StorageException(location + ": corrupt row in " + f + " line " + line + ": " + what
                + "; nothing was changed");
    }

    /** @return the row's write number */
    long seq(CSVRecord rec, Path f, int line) {
        try {
            long seq = Long.parseLong(rec.get(0));
            if (seq <= 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw corrupt(f, line, "write number '" + abbreviate(rec.get(0)) + "' is not a positive integer");
        }
    }

    /** @return the reading a data file row holds, checked against the schema */
    SensorReading reading(String deviceId, CSVRecord rec, SensorSchema s, Path f, int line) {
        if (rec.size() != 3 + s.size()) {
            throw corrupt(f, line, "has " + rec.size() + " fields, expected " + (3 + s.size()));
        }
        try {
            Instant t = Instant.parse(rec.get(1));
            double health = number(rec.get(2));
            double[] values = new double[s.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(rec.get(3 + i));
            }
            return SensorReading.of(deviceId, t, s, values, health);
        } catch (DateTimeParseException e) {
            throw corrupt(f, line, "timestamp '" + abbreviate(rec.get(1)) + "' is not an ISO-8601 instant");
        } catch (NumberFormatException e) {
            throw corrupt(f, line, "a value is not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw corrupt(f, line, e.getMessage());
        }
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** @return the event an events file row holds */
    DeviceEvent event(CSVRecord rec, Path f, int line) {
        if (rec.size() != CsvLayout.EVENT_HEADER.length) {
            throw corrupt(f, line, "has " + rec.size() + " fields, expected " + CsvLayout.EVENT_HEADER.length);
        }
        try {
            Instant t = Instant.parse(rec.get(2));
            return switch (rec.get(3)) {
                case "failure" -> new FailureEvent(rec.get(1), t, rec.get(4));
                case "maintenance" -> new MaintenanceEvent(rec.get(1), t, rec.get(4));
                default -> throw new IllegalArgumentException("unknown event kind '" + abbreviate(rec.get(3)) + "'");
            };
        } catch (DateTimeParseException e) {
            throw corrupt(f, line, "timestamp '" + abbreviate(rec.get(2)) + "' is not an ISO-8601 instant");
        } catch (IllegalArgumentException e) {
            throw corrupt(f, line, e.getMessage());
        }
    }
}
