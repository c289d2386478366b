package io.iotpm.storage.csv;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reads committed rows back: whole day files in time order, the newest readings of a device
 * through its {@link DeviceIndex} (from the in-memory tail when it can), ranges and events.
 * Called with the store's read lock held (the write lock for retention).
 */
final class CsvReader {

    private final CsvLayout layout;
    private final CsvRowCodec codec;
    private final String location;

    CsvReader(CsvLayout layout, CsvRowCodec codec) {
        this.layout = layout;
        this.codec = codec;
        this.location = layout.location();
    }

    /** @return the rows after the header, each checked to have {@code fields} fields; none for a missing file */
    List<CSVRecord> readRecords(Path f, int fields) throws IOException {
        List<CSVRecord> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(f, StandardCharsets.UTF_8, CsvRowCodec.FORMAT)) {
            int line = 0;
            for (CSVRecord rec : p) {
                line++;
                if (line == 1) {
                    continue;
                }
                if (rec.size() != fields) {
                    throw codec.corrupt(f, line, "has " + rec.size() + " fields, expected " + fields);
                }
                out.add(rec);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new StorageException(location + ": cannot parse " + f + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Reads a day file in time order, one reading per timestamp: of rows with equal timestamps the
     * last in the file wins, as files are append-only and so in write order. {@code records} gets
     * the raw rows of the readings returned.
     */
    List<SensorReading> readDay(String deviceId, LocalDate day, SensorSchema s, List<CSVRecord> records)
            throws IOException {
        Path f = layout.dayFile(deviceId, day);
        List<CSVRecord> recs = readRecords(f, 3 + s.size());
        List<SensorReading> out = new ArrayList<>(recs.size());
        int line = 1;
        boolean sorted = true;
        for (CSVRecord rec : recs) {
            line++;
            SensorReading r = codec.reading(deviceId, rec, s, f, line);
            if (!out.isEmpty() && r.timestamp().isBefore(out.get(out.size() - 1).timestamp())) {
                sorted = false;
            }
            out.add(r);
        }
        if (!sorted) {
            // Stable, so rows of equal timestamps stay in file order.
            Integer[] order = new Integer[out.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            List<SensorReading> unsorted = List.copyOf(out);
            Arrays.sort(order, Comparator.comparing(i -> unsorted.get(i).timestamp()));
            out.clear();
            List<CSVRecord> rs = List.copyOf(recs);
            recs.clear();
            for (Integer i : order) {
                out.add(unsorted.get(i));
                recs.add(rs.get(i));
            }
        }
        int kept = 0;
        for (int i = 0; i < out.size(); i++) {
            if (i + 1 < out.size() && out.get(i + 1).timestamp().equals(out.get(i).timestamp())) {
                continue;   // superseded by a later row of the same timestamp
            }
            out.set(kept, out.get(i));
            recs.set(kept, recs.get(i));
            kept++;
        }
        out.subList(kept, out.size()).clear();
        recs.subList(kept, recs.size()).clear();
        if (records != null) {
            records.addAll(recs);
        }
        return out;
    }

    /** @return the distinct timestamps of a day file and its rows, for {@link StoredKeys} */
    StoredKeys.Day keys(String deviceId, LocalDate day, SensorSchema s) throws IOException {
        Path f = layout.dayFile(deviceId, day);
        List<CSVRecord> recs = readRecords(f, 3 + s.size());
        StoredKeys.Day d = StoredKeys.empty();
        int line = 1;
        for (CSVRecord rec : recs) {
            line++;
            d.keys.add(codec.reading(deviceId, rec, s, f, line).timestamp());
        }
        d.rows = recs.size();
        return d;
    }

    /**
     * @return the newest {@code n} readings of a device, newest first; from its tail cache (loaded
     *         on first use) when {@code n <= TAIL}
     */
    List<SensorReading> latest(String deviceId, DeviceIndex di, int n, SensorSchema s) throws IOException {
        if (n <= DeviceIndex.TAIL) {
            synchronized (di) {
                if (di.tail == null) {
                    List<SensorReading> newest = newest(deviceId, di, DeviceIndex.TAIL, s);
                    Collections.reverse(newest);
                    di.tail = newest;
                }
                List<SensorReading> out = new ArrayList<>(Math.min(n, di.tail.size()));
                for (int i = di.tail.size() - 1; i >= 0 && out.size() < n; i--) {
                    out.add(di.tail.get(i));
                }
                return out;
            }
        }
        return newest(deviceId, di, n, s);
    }

    /** Reads day files from the newest back until it has {@code n} readings; newest first. */
    private List<SensorReading> newest(String deviceId, DeviceIndex di, int n, SensorSchema s) throws IOException {
        List<SensorReading> out = new ArrayList<>(Math.min(n, 1024));
        for (LocalDate d : di.rowsPerDay.descendingKeySet()) {
            List<SensorReading> day = readDay(deviceId, d, s, null);
            for (int i = day.size() - 1; i >= 0 && out.size() < n; i--) {
                out.add(day.get(i));
            }
            if (out.size() >= n) {
                break;
            }
        }
        return out;
    }

    /** @return a device's readings in {@code [from, to)}, in time order */
    List<SensorReading> range(String deviceId, DeviceIndex di, Instant from, Instant to, SensorSchema s)
            throws IOException {
        List<SensorReading> out = new ArrayList<>();
        for (LocalDate d : di.rowsPerDay.subMap(CsvLayout.day(from), true, CsvLayout.day(to), true).keySet()) {
            for (SensorReading r : readDay(deviceId, d, s, null)) {
                if (!r.timestamp().isBefore(from) && r.timestamp().isBefore(to)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** @return a device's events in {@code [from, to)}, in time order */
    List<DeviceEvent> events(String deviceId, Instant from, Instant to) throws IOException {
        Path f = layout.eventsFile();
        List<DeviceEvent> out = new ArrayList<>();
        int line = 1;
        for (CSVRecord rec : readRecords(f, CsvLayout.EVENT_HEADER.length)) {
            line++;
            if (rec.get(1).equals(deviceId)) {
                DeviceEvent e = codec.event(rec, f, line);
                if (!e.timestamp().isBefore(from) && e.timestamp().isBefore(to)) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(DeviceEvent::timestamp));   // stable: ties keep file order
        return out;
    }
}
