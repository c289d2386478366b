package io.iotpm.storage.csv;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Retention: deletes the day files before the cutoff's day and rewrites, atomically, the cutoff
 * day's files and the events file without the rows before the cutoff; and compaction, which
 * rewrites a day file without its superseded rows. Rewrites are not covered by commit numbers:
 * each file is replaced by a rename, so a crash leaves it old or new, and a retention cut short
 * can be run again. Called with the store's write lock held.
 */
final class CsvRetention {

    private final CsvLayout layout;
    private final CsvRowCodec codec;
    private final CsvReader reader;
    private final AppenderCache appenders;

    CsvRetention(CsvLayout layout, CsvRowCodec codec, CsvReader reader, AppenderCache appenders) {
        this.layout = layout;
        this.codec = codec;
        this.reader = reader;
        this.appenders = appenders;
    }

    /**
     * @param index  the devices' indexes, updated (a device left without rows is removed)
     * @param s      the store's schema, or {@code null} while it has none
     * @param header the data files' header
     * @return the number of readings deleted
     */
    long deleteBefore(Instant cutoff, Map<String, DeviceIndex> index, SensorSchema s, String[] header)
            throws IOException {
        LocalDate cutDay = CsvLayout.day(cutoff);
        long deleted = 0;
        index.values().forEach(di -> di.tail = null);
        for (Iterator<Map.Entry<String, DeviceIndex>> it = index.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, DeviceIndex> e = it.next();
            DeviceIndex di = e.getValue();
            NavigableMap<LocalDate, Long> old = di.rowsPerDay.headMap(cutDay, false);
            for (Map.Entry<LocalDate, Long> d : new ArrayList<>(old.entrySet())) {
                Path f = layout.dayFile(e.getKey(), d.getKey());
                appenders.close(f);
                Files.deleteIfExists(f);
                deleted += d.getValue();
                di.count -= d.getValue();
                di.rowsPerDay.remove(d.getKey());
            }
            Long rows = di.rowsPerDay.get(cutDay);
            if (rows != null && s != null) {
                Path f = layout.dayFile(e.getKey(), cutDay);
                List<CSVRecord> keep = new ArrayList<>();
                List<SensorReading> all = reader.readDay(e.getKey(), cutDay, s, keep);
                long gone = all.stream().filter(r -> r.timestamp().isBefore(cutoff)).count();
                if (gone > 0) {
                    List<CSVRecord> kept = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        if (!all.get(i).timestamp().isBefore(cutoff)) {
                            kept.add(keep.get(i));
                        }
                    }
                    appenders.close(f);
                    if (gone == rows) {
                        Files.deleteIfExists(f);
                        di.rowsPerDay.remove(cutDay);
                    } else {
                        rewrite(f, header, kept);
                        di.rowsPerDay.put(cutDay, rows - gone);
                    }
                    deleted += gone;
                    di.count -= gone;
                }
            }
            if (di.count == 0) {
                it.remove();
            }
        }
        deleteEventsBefore(cutoff);
        return deleted;
    }

    /**
     * Rewrites a day file with one row per timestamp, the last (what reads return).
     *
     * @return the rows left, one per reading
     */
    long compact(String deviceId, LocalDate day, SensorSchema s, String[] header) throws IOException {
        List<CSVRecord> keep = new ArrayList<>();
        reader.readDay(deviceId, day, s, keep);
        Path f = layout.dayFile(deviceId, day);
        appenders.close(f);
        rewrite(f, header, keep);
        return keep.size();
    }

    private static void rewrite(Path f, String[] header, List<CSVRecord> rows) throws IOException {
        StringBuilder b = new StringBuilder();
        CsvRowCodec.print(b, (Object[]) header);
        for (CSVRecord rec : rows) {
            CsvRowCodec.print(b, (Object[]) rec.values());
        }
        CsvLayout.writeAtomically(f, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void deleteEventsBefore(Instant cutoff) throws IOException {
        Path ev = layout.eventsFile();
        if (Files.exists(ev)) {
            List<CSVRecord> recs = reader.readRecords(ev, CsvLayout.EVENT_HEADER.length);
            StringBuilder b = new StringBuilder();
            CsvRowCodec.print(b, (Object[]) CsvLayout.EVENT_HEADER);
            boolean changed = false;
            int line = 1;
            for (CSVRecord rec : recs) {
                line++;
                if (codec.event(rec, ev, line).timestamp().isBefore(cutoff)) {
                    changed = true;
                } else {
                    CsvRowCodec.print(b, (Object[]) rec.values());
                }
            }
            if (changed) {
                appenders.close(ev);
                CsvLayout.writeAtomically(ev, b.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
