package io.iotpm.storage.csv;

import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery on open: scans every file read-only, collecting a torn last line and rows of a write
 * that was never committed (both dropped from the file's end) and indexing the committed rows;
 * then {@link #apply()} truncates and deletes, and only if no file was corrupt. Any other damage
 * fails with a {@link StorageException} naming the file and line, and changes nothing.
 */
final class CsvRecovery {
    // The store's logger, so hosts keep configuring one category per backend.
    private static final Logger LOG = LoggerFactory.getLogger(CsvStorage.class);

    private final CsvLayout layout;
    private final CsvRowCodec codec;
    private final String location;
    private final long committed;
    private final String[] header;
    private final Map<String, DeviceIndex> index;
    private final Map<Path, Long> truncate = new LinkedHashMap<>();
    private final List<Path> delete = new ArrayList<>();

    /**
     * @param committed the last committed write number
     * @param header    the data files' header, or {@code null} while the store has no schema
     * @param index     filled with the committed rows of each device
     */
    CsvRecovery(CsvLayout layout, CsvRowCodec codec, long committed, String[] header, Map<String, DeviceIndex> index) {
        this.layout = layout;
        this.codec = codec;
        this.location = layout.location();
        this.committed = committed;
        this.header = header;
        this.index = index;
    }

    /** Checks and indexes every day file of every device. */
    void scanDevices(SensorSchema s) throws IOException {
        Path devicesDir = layout.devicesDir();
        if (!Files.isDirectory(devicesDir)) {
            return;
        }
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(devicesDir)) {
            for (Path d : devices) {
                String id = d.getFileName().toString();
                if (!Files.isDirectory(d) || !DeviceIds.isValid(id)) {
                    throw new StorageException(location + ": unexpected entry " + d + " (not a device directory)");
                }
                try (DirectoryStream<Path> days = Files.newDirectoryStream(d)) {
                    for (Path f : days) {
                        scanDayFile(id, f, s);
                    }
                }
            }
        }
    }

    private void scanDayFile(String id, Path f, SensorSchema s) throws IOException {
        String name = f.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
            delete.add(f);   // left by a retention rewrite that crashed before its rename
            return;
        }
        LocalDate day;
        try {
            day = name.endsWith(".csv") ? LocalDate.parse(name.substring(0, name.length() - 4)) : null;
        } catch (DateTimeParseException e) {
            day = null;
        }
        if (day == null) {
            throw new StorageException(location + ": unexpected file " + f + " (expected YYYY-MM-DD.csv)");
        }
        LocalDate fileDay = day;
        List<Instant> times = new ArrayList<>();
        Instant[] last = {null};
        scan(f, header, (rec, line) -> {
            SensorReading r = codec.reading(id, rec, s, f, line);
            if (!CsvLayout.day(r.timestamp()).equals(fileDay)) {
                throw codec.corrupt(f, line, "timestamp " + r.timestamp() + " does not belong to day " + fileDay);
            }
            times.add(r.timestamp());
            if (last[0] == null || r.timestamp().isAfter(last[0])) {
                last[0] = r.timestamp();
            }
        });
        if (!times.isEmpty()) {
            index.computeIfAbsent(id, k -> new DeviceIndex()).add(fileDay, last[0], distinct(times));
        }
    }

    /** @return how many different timestamps there are: a repeated one is one reading (its last row) */
    private static long distinct(List<Instant> times) {
        boolean ascending = true;
        for (int i = 1; i < times.size() && ascending; i++) {
            ascending = times.get(i).isAfter(times.get(i - 1));
        }
        return ascending ? times.size() : new HashSet<>(times).size();
    }

    /** Checks the events file. */
    void scanEvents() throws IOException {
        Path f = layout.eventsFile();
        if (Files.exists(f)) {
            scan(f, CsvLayout.EVENT_HEADER, (rec, line) -> codec.event(rec, f, line));
        }
    }

    /**
     * Reads a file: drops (later) a torn last line and a tail of uncommitted rows, validates
     * every committed row with {@code row}, and fails on anything else.
     */
    private void scan(Path f, String[] expectedHeader, RowCheck row) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        int validEnd = bytes.length;
        while (validEnd > 0 && bytes[validEnd - 1] != '\n') {
            validEnd--;
        }
        if (validEnd < bytes.length) {
            LOG.warn("{}: dropping torn last line of {}: '{}'", location, f,
                    CsvRowCodec.abbreviate(new String(bytes, validEnd, bytes.length - validEnd, StandardCharsets.UTF_8)));
        }
        List<Integer> lineStarts = new ArrayList<>();
        for (int i = 0; i < validEnd; i++) {
            if (i == 0 || bytes[i - 1] == '\n') {
                lineStarts.add(i);
            }
        }
        if (lineStarts.isEmpty()) {
            delete.add(f);   // only a torn header: the file was created by a write that never committed
            return;
        }
        String text = new String(bytes, 0, validEnd, StandardCharsets.UTF_8);
        int keepLines = lineStarts.size();
        try (CSVParser p = CSVParser.parse(new StringReader(text), CsvRowCodec.FORMAT)) {
            Iterator<CSVRecord> it = p.iterator();
            int line = 0;
            while (true) {
                CSVRecord rec;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    rec = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw codec.corrupt(f, line + 1, "cannot be parsed as CSV: " + e.getMessage());
                }
                line++;
                if (line == 1) {
                    if (!List.of(expectedHeader).equals(rec.toList())) {
                        throw codec.corrupt(f, 1, "header " + rec.toList() + " does not match the store's "
                                + List.of(expectedHeader));
                    }
                    continue;
                }
                long seq = codec.seq(rec, f, line);
                if (seq > committed) {
                    if (keepLines == lineStarts.size()) {
                        keepLines = line - 1;
                    }
                    continue;
                }
                if (keepLines != lineStarts.size()) {
                    throw codec.corrupt(f, line, "committed row (write " + seq + ") follows an uncommitted one");
                }
                row.check(rec, line);
            }
        }
        if (lastLine(text) != lineStarts.size()) {
            throw codec.corrupt(f, lineStarts.size(), "a quoted field spans lines");
        }
        if (keepLines < lineStarts.size()) {
            LOG.warn("{}: dropping {} row(s) of a write that was not committed (crash) from {}", location,
                    lineStarts.size() - keepLines, f);
        }
        if (keepLines <= 1) {
            delete.add(f);
        } else if (keepLines < lineStarts.size()) {
            truncate.put(f, (long) lineStarts.get(keepLines));
        } else if (validEnd < bytes.length) {
            truncate.put(f, (long) validEnd);
        }
    }

    private int lastLine(String text) throws IOException {
        int records = 0;
        try (CSVParser p = CSVParser.parse(new StringReader(text), CsvRowCodec.FORMAT)) {
            for (Iterator<CSVRecord> it = p.iterator(); it.hasNext(); it.next()) {
                records++;
            }
        }
        return records;
    }

    /** Drops what the scan found uncommitted: truncates files, deletes empty and temporary ones. */
    void apply() throws IOException {
        for (Map.Entry<Path, Long> e : truncate.entrySet()) {
            try (FileChannel ch = FileChannel.open(e.getKey(), StandardOpenOption.WRITE)) {
                ch.truncate(e.getValue());
                ch.force(true);
            }
        }
        for (Path p : delete) {
            Files.deleteIfExists(p);
        }
    }

    @FunctionalInterface
    private interface RowCheck {
        void check(CSVRecord rec, int line);
    }
}
