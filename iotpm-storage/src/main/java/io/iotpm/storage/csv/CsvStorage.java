package io.iotpm.storage.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.Checks;
import io.iotpm.storage.internal.SchemaGuard;
import io.iotpm.storage.internal.SchemaJson;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stores readings as CSV files (commons-csv), one file per device and UTC day, with a header
 * row from the schema:
 * <pre>
 * DIR/iotpm-csv.json                    format version and the sensor schema
 * DIR/commit                            the number of the last committed write
 * DIR/events.csv                        seq,device_id,timestamp,kind,detail
 * DIR/devices/PUMP_001/2026-01-01.csv   seq,timestamp,health_score,temperature,...
 * </pre>
 * File names come only from validated device ids ({@link DeviceIds}) and dates.
 *
 * <p><b>Nothing lost, nothing half-written.</b> Files are append-only. Every write (one reading,
 * a batch, an event) gets the next sequence number, which starts each of its rows; the rows are
 * written first, then the number is stored in {@code commit}. On open, rows numbered above the
 * commit (a batch cut short by a crash) and a torn last line are dropped from the file's end and
 * logged, so a batch is visible completely or not at all. Any other unreadable row (a corrupt row
 * in the middle of a file, a value outside its channel's physical range, a wrong header) makes
 * open fail with a {@link StorageException} naming the file and line, and changes nothing.
 *
 * <p>Durability: by default a write that returned survives a crash of this process ({@code kill
 * -9}), as the data sits in the OS page cache; with {@link Builder#fsync(boolean) fsync} each write
 * is also forced to disk, so it survives power failure.
 *
 * <p>Safe for concurrent use: writes take an exclusive lock, reads a shared one. One JVM per
 * directory. Limits: open reads every file (validation and recovery), so it takes time
 * proportional to the data; a read parses whole day files; retention rewrites the cutoff day's
 * files; event details must not contain line breaks.
 */
public final class CsvStorage implements StorageBackend {

    /** The layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final String META = "iotpm-csv.json";
    static final String COMMIT = "commit";
    static final String EVENTS = "events.csv";
    static final String DEVICES = "devices";
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    private static final String[] EVENT_HEADER = {"seq", "device_id", "timestamp", "kind", "detail"};
    private static final int COMMIT_BYTES = 21;
    private static final int MAX_OPEN_FILES = 64;
    /** Newest readings per device kept in memory for {@link #latest(String, int)}. */
    static final int TAIL = 256;
    private static final Logger LOG = LoggerFactory.getLogger(CsvStorage.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final Path devicesDir;
    private final String location;
    private final boolean fsync;
    private final SchemaGuard schema;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, DeviceIndex> index = new TreeMap<>();   // guarded by lock
    private final Map<Path, Appender> appenders = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Appender> eldest) {
            if (size() > MAX_OPEN_FILES) {
                eldest.getValue().closeQuietly();
                return true;
            }
            return false;
        }
    };
    private final FileChannel commitChannel;
    private long committed;                 // guarded by the write lock
    private String[] header;                // data file header, set with the schema
    private boolean closed;

    /**
     * Rows and last timestamp of one device, by day, and a cache of its newest readings so that
     * {@code latest(n)} for {@code n <= TAIL} does not parse a day file. Guarded by the store's
     * lock; {@link #tail} also by synchronizing on this object, as readers fill it lazily.
     */
    private static final class DeviceIndex {
        final TreeMap<LocalDate, Long> rowsPerDay = new TreeMap<>();
        long count;
        Instant lastSeen;
        /** The newest min(TAIL, count) readings in time order (ties in append order), or null when not loaded. */
        List<SensorReading> tail;

        void addToTail(SensorReading r) {
            if (tail == null) {
                return;
            }
            if (tail.size() == TAIL && r.timestamp().isBefore(tail.get(0).timestamp())) {
                return;   // older than every cached reading of a full cache: not among the newest
            }
            int lo = 0;
            int hi = tail.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tail.get(mid).timestamp().isAfter(r.timestamp())) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            tail.add(lo, r);
            if (tail.size() > TAIL) {
                tail.remove(0);
            }
        }

        void add(LocalDate day, Instant t, long rows) {
            rowsPerDay.merge(day, rows, Long::sum);
            count += rows;
            if (lastSeen == null || t.isAfter(lastSeen)) {
                lastSeen = t;
            }
        }
    }

    /** An open append-only file with its committed length. */
    private static final class Appender {
        final FileChannel channel;
        long size;

        Appender(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a CSV file failed", e);
            }
        }
    }

    private CsvStorage(Path dir, boolean fsync) {
        this.dir = dir;
        this.devicesDir = dir.resolve(DEVICES);
        this.location = "csv:" + dir;
        this.fsync = fsync;
        SensorSchema stored;
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(location + " is a file, not a directory");
            }
            Files.createDirectories(dir);
            stored = readMeta();
            committed = readCommit();
            Recovery recovery = new Recovery();
            if (stored != null) {
                header = header(stored);
                recovery.scanDevices(stored);
            }
            recovery.scanEvents();
            recovery.apply();
            Files.createDirectories(devicesDir);
            commitChannel = FileChannel.open(dir.resolve(COMMIT), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (commitChannel.size() == 0) {
                writeCommit(0);
            }
        } catch (IOException e) {
            throw new StorageException(location + ": cannot open: " + e, e);
        }
        this.schema = new SchemaGuard(location, stored);
    }

    /**
     * @param dir the store's directory; created if missing
     * @return a builder
     */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** @return the store's directory */
    public Path directory() {
        return dir;
    }

    // ---- layout helpers -------------------------------------------------------------------------

    private static String[] header(SensorSchema s) {
        String[] h = new String[3 + s.size()];
        h[0] = "seq";
        h[1] = "timestamp";
        h[2] = "health_score";
        for (int i = 0; i < s.size(); i++) {
            h[3 + i] = s.channelName(i);
        }
        return h;
    }

    private Path dayFile(String deviceId, LocalDate day) {
        // deviceId is validated (no separators, no dot runs), so this stays inside devicesDir.
        return devicesDir.resolve(DeviceIds.requireValid(deviceId)).resolve(day + ".csv");
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private SensorSchema readMeta() throws IOException {
        Path meta = dir.resolve(META);
        if (!Files.exists(meta)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    throw new StorageException(location + " is not an iotpm CSV store (no " + META
                            + ", but it contains " + p.getFileName() + "); it was not modified");
                }
            }
            writeMeta(null);
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(meta));
        } catch (IOException e) {
            throw new StorageException(location + ": " + META + " is not valid JSON: " + e.getMessage(), e);
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new StorageException(location + ": " + META + " has format_version " + root.path("format_version")
                    + "; this version reads " + FORMAT_VERSION);
        }
        JsonNode s = root.path("schema");
        if (s.isMissingNode() || s.isNull()) {
            return null;
        }
        try {
            return SchemaJson.read(s.toString(), dir.resolve(META).toString());
        } catch (IllegalArgumentException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private void writeMeta(SensorSchema s) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        if (s != null) {
            root.set("schema", MAPPER.readTree(SchemaJson.write(s)));
        }
        writeAtomically(dir.resolve(META), (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private long readCommit() throws IOException {
        Path p = dir.resolve(COMMIT);
        if (!Files.exists(p)) {
            if (Files.exists(dir.resolve(EVENTS)) || hasDeviceFiles()) {
                throw new StorageException(location + ": the " + COMMIT + " file is missing but data files exist;"
                        + " refusing to guess which rows were committed");
            }
            return 0;
        }
        String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new StorageException(location + ": the " + COMMIT + " file holds '" + s
                    + "', not a write number; the store may be damaged", e);
        }
    }

    private boolean hasDeviceFiles() throws IOException {
        if (!Files.isDirectory(devicesDir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(devicesDir)) {
            return ds.iterator().hasNext();
        }
    }

    private void writeCommit(long seq) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(String.format(Locale.ROOT, "%020d\n", seq).getBytes(StandardCharsets.US_ASCII));
        int pos = 0;
        while (buf.hasRemaining()) {
            pos += commitChannel.write(buf, pos);
        }
        if (fsync) {
            commitChannel.force(false);
        }
        assert pos == COMMIT_BYTES;
    }

    // ---- recovery on open ----------------------------------------------------------------------

    /** Scans every file read-only, then applies the truncations only if no file is corrupt. */
    private final class Recovery {
        private final Map<Path, Long> truncate = new LinkedHashMap<>();
        private final List<Path> delete = new ArrayList<>();

        void scanDevices(SensorSchema s) throws IOException {
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
            long[] rows = {0};
            Instant[] last = {null};
            scan(f, header, (rec, line) -> {
                SensorReading r = reading(id, rec, s, f, line);
                if (!day(r.timestamp()).equals(fileDay)) {
                    throw corrupt(f, line, "timestamp " + r.timestamp() + " does not belong to day " + fileDay);
                }
                rows[0]++;
                if (last[0] == null || r.timestamp().isAfter(last[0])) {
                    last[0] = r.timestamp();
                }
            });
            if (rows[0] > 0) {
                index.computeIfAbsent(id, k -> new DeviceIndex()).add(fileDay, last[0], rows[0]);
            }
        }

        void scanEvents() throws IOException {
            Path f = dir.resolve(EVENTS);
            if (Files.exists(f)) {
                scan(f, EVENT_HEADER, (rec, line) -> event(rec, f, line));
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
                        abbreviate(new String(bytes, validEnd, bytes.length - validEnd, StandardCharsets.UTF_8)));
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
            try (CSVParser p = CSVParser.parse(new StringReader(text), FORMAT)) {
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
                        throw corrupt(f, line + 1, "cannot be parsed as CSV: " + e.getMessage());
                    }
                    line++;
                    if (line == 1) {
                        if (!List.of(expectedHeader).equals(rec.toList())) {
                            throw corrupt(f, 1, "header " + rec.toList() + " does not match the store's "
                                    + List.of(expectedHeader));
                        }
                        continue;
                    }
                    long seq = seq(rec, f, line);
                    if (seq > committed) {
                        if (keepLines == lineStarts.size()) {
                            keepLines = line - 1;
                        }
                        continue;
                    }
                    if (keepLines != lineStarts.size()) {
                        throw corrupt(f, line, "committed row (write " + seq + ") follows an uncommitted one");
                    }
                    row.check(rec, line);
                }
            }
            if (lastLine(text) != lineStarts.size()) {
                throw corrupt(f, lineStarts.size(), "a quoted field spans lines");
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
            try (CSVParser p = CSVParser.parse(new StringReader(text), FORMAT)) {
                for (Iterator<CSVRecord> it = p.iterator(); it.hasNext(); it.next()) {
                    records++;
                }
            }
            return records;
        }

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
    }

    @FunctionalInterface
    private interface RowCheck {
        void check(CSVRecord rec, int line);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private StorageException corrupt(Path f, int line, String what) {
        return new StorageException(location + ": corrupt row in " + f + " line " + line + ": " + what
                + "; nothing was changed");
    }

    private long seq(CSVRecord rec, Path f, int line) {
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

    private SensorReading reading(String deviceId, CSVRecord rec, SensorSchema s, Path f, int line) {
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

    private DeviceEvent event(CSVRecord rec, Path f, int line) {
        if (rec.size() != EVENT_HEADER.length) {
            throw corrupt(f, line, "has " + rec.size() + " fields, expected " + EVENT_HEADER.length);
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

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public void append(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        appendAll(List.of(reading));
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        SensorSchema s = schema.check(readings);
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (s == null) {
                return;
            }
            long seq = committed + 1;
            // One text block per file, so each file gets one write.
            Map<Path, StringBuilder> texts = new LinkedHashMap<>();
            Map<Path, Object[]> touched = new LinkedHashMap<>();   // path -> {device, day, max ts, rows}
            String seqText = Long.toString(seq);
            for (SensorReading r : readings) {
                LocalDate d = day(r.timestamp());
                Path f = dayFile(r.deviceId(), d);
                StringBuilder b = texts.computeIfAbsent(f, k -> new StringBuilder(4096));
                print(b, row(seqText, r));
                Object[] info = touched.computeIfAbsent(f, k -> new Object[] {r.deviceId(), d, r.timestamp(), 0L});
                if (r.timestamp().isAfter((Instant) info[2])) {
                    info[2] = r.timestamp();
                }
                info[3] = (Long) info[3] + 1;
            }
            boolean adopted = schema.adopt(s);
            try {
                if (adopted) {
                    header = header(s);
                    writeMeta(s);
                }
                writeAll(texts, header);
                writeCommit(seq);
            } catch (IOException | RuntimeException e) {
                if (adopted) {
                    schema.forget(s);
                    try {
                        writeMeta(null);
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw failure("cannot store " + readings.size() + " readings", e);
            }
            committed = seq;
            for (Object[] info : touched.values()) {
                index.computeIfAbsent((String) info[0], k -> new DeviceIndex())
                        .add((LocalDate) info[1], (Instant) info[2], (Long) info[3]);
            }
            for (SensorReading r : readings) {
                DeviceIndex di = index.get(r.deviceId());
                synchronized (di) {
                    di.addToTail(r);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Object[] row(String seq, SensorReading r) {
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

    private static void print(StringBuilder b, Object... row) {
        try {
            FORMAT.printRecord(b, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringBuilder does not throw
        }
    }

    /** Appends each text to its file; on failure truncates every file back, so nothing is left. */
    private void writeAll(Map<Path, StringBuilder> texts, String[] fileHeader) throws IOException {
        Map<Appender, Long> before = new LinkedHashMap<>();
        List<Path> created = new ArrayList<>();
        try {
            for (Map.Entry<Path, StringBuilder> e : texts.entrySet()) {
                Path f = e.getKey();
                Appender a = appenders.get(f);
                if (a == null) {
                    if (!Files.exists(f)) {
                        Files.createDirectories(f.getParent());
                        created.add(f);
                    }
                    a = new Appender(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                    appenders.put(f, a);
                }
                before.put(a, a.size);
                StringBuilder text = e.getValue();
                if (a.size == 0) {
                    StringBuilder h = new StringBuilder();
                    print(h, (Object[]) fileHeader);
                    text.insert(0, h);
                }
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                long pos = a.size;
                while (buf.hasRemaining()) {
                    pos += a.channel.write(buf, pos);
                }
                if (fsync) {
                    a.channel.force(false);
                }
                a.size = pos;
            }
        } catch (IOException | RuntimeException e) {
            for (Map.Entry<Appender, Long> b : before.entrySet()) {
                try {
                    b.getKey().channel.truncate(b.getValue());
                    b.getKey().size = b.getValue();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            for (Path f : created) {
                Appender a = appenders.remove(f);
                if (a != null) {
                    a.closeQuietly();
                }
                Files.deleteIfExists(f);
            }
            throw e;
        }
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.detail().indexOf('\n') >= 0 || event.detail().indexOf('\r') >= 0) {
            throw new IllegalArgumentException("CSV storage does not store line breaks in an event's detail, but "
                    + event.kind() + " detail of device '" + event.deviceId() + "' has one");
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            long seq = committed + 1;
            StringBuilder b = new StringBuilder();
            print(b, seq, event.deviceId(), event.timestamp().toString(), event.kind(), event.detail());
            Map<Path, StringBuilder> texts = Map.of(dir.resolve(EVENTS), b);
            try {
                writeAll(texts, EVENT_HEADER);
                writeCommit(seq);
            } catch (IOException | RuntimeException e) {
                throw failure("cannot store event " + event, e);
            }
            committed = seq;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private RuntimeException failure(String what, Exception e) {
        if (e instanceof IllegalArgumentException iae) {
            return iae;
        }
        return new StorageException(location + ": " + what + ": " + e + "; nothing was stored", e);
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        lock.writeLock().lock();
        try {
            ensureOpen();
            LocalDate cutDay = day(cutoff);
            long deleted = 0;
            index.values().forEach(di -> di.tail = null);
            SensorSchema s = schema.schema();
            for (Iterator<Map.Entry<String, DeviceIndex>> it = index.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, DeviceIndex> e = it.next();
                DeviceIndex di = e.getValue();
                NavigableMap<LocalDate, Long> old = di.rowsPerDay.headMap(cutDay, false);
                for (Map.Entry<LocalDate, Long> d : new ArrayList<>(old.entrySet())) {
                    Path f = dayFile(e.getKey(), d.getKey());
                    closeAppender(f);
                    Files.deleteIfExists(f);
                    deleted += d.getValue();
                    di.count -= d.getValue();
                    di.rowsPerDay.remove(d.getKey());
                }
                Long rows = di.rowsPerDay.get(cutDay);
                if (rows != null && s != null) {
                    Path f = dayFile(e.getKey(), cutDay);
                    List<CSVRecord> keep = new ArrayList<>();
                    List<SensorReading> all = readDay(e.getKey(), cutDay, s, keep);
                    long gone = all.stream().filter(r -> r.timestamp().isBefore(cutoff)).count();
                    if (gone > 0) {
                        StringBuilder b = new StringBuilder();
                        print(b, (Object[]) header);
                        for (int i = 0; i < all.size(); i++) {
                            if (!all.get(i).timestamp().isBefore(cutoff)) {
                                print(b, (Object[]) keep.get(i).values());
                            }
                        }
                        closeAppender(f);
                        if (gone == rows) {
                            Files.deleteIfExists(f);
                            di.rowsPerDay.remove(cutDay);
                        } else {
                            writeAtomically(f, b.toString().getBytes(StandardCharsets.UTF_8));
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
            Path ev = dir.resolve(EVENTS);
            if (Files.exists(ev)) {
                List<CSVRecord> recs = readRecords(ev, EVENT_HEADER.length);
                StringBuilder b = new StringBuilder();
                print(b, (Object[]) EVENT_HEADER);
                boolean changed = false;
                int line = 1;
                for (CSVRecord rec : recs) {
                    line++;
                    if (event(rec, ev, line).timestamp().isBefore(cutoff)) {
                        changed = true;
                    } else {
                        print(b, (Object[]) rec.values());
                    }
                }
                if (changed) {
                    closeAppender(ev);
                    writeAtomically(ev, b.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            return deleted;
        } catch (IOException e) {
            throw new StorageException(location + ": retention before " + cutoff + " failed: " + e
                    + "; it may have deleted part of what it should, and can be run again", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeAppender(Path f) {
        Appender a = appenders.remove(f);
        if (a != null) {
            a.closeQuietly();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    private List<CSVRecord> readRecords(Path f, int fields) throws IOException {
        List<CSVRecord> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(f, StandardCharsets.UTF_8, FORMAT)) {
            int line = 0;
            for (CSVRecord rec : p) {
                line++;
                if (line == 1) {
                    continue;
                }
                if (rec.size() != fields) {
                    throw corrupt(f, line, "has " + rec.size() + " fields, expected " + fields);
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

    /** Reads a day file in time order (stable: ties keep file order); {@code records} gets the raw rows. */
    private List<SensorReading> readDay(String deviceId, LocalDate day, SensorSchema s, List<CSVRecord> records)
            throws IOException {
        Path f = dayFile(deviceId, day);
        List<CSVRecord> recs = readRecords(f, 3 + s.size());
        List<SensorReading> out = new ArrayList<>(recs.size());
        int line = 1;
        boolean sorted = true;
        for (CSVRecord rec : recs) {
            line++;
            SensorReading r = reading(deviceId, rec, s, f, line);
            if (!out.isEmpty() && r.timestamp().isBefore(out.get(out.size() - 1).timestamp())) {
                sorted = false;
            }
            out.add(r);
        }
        if (!sorted) {
            Integer[] order = new Integer[out.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            List<SensorReading> unsorted = List.copyOf(out);
            java.util.Arrays.sort(order, Comparator.comparing(i -> unsorted.get(i).timestamp()));
            out.clear();
            List<CSVRecord> rs = List.copyOf(recs);
            recs.clear();
            for (Integer i : order) {
                out.add(unsorted.get(i));
                recs.add(rs.get(i));
            }
        }
        if (records != null) {
            records.addAll(recs);
        }
        return out;
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        Checks.latest(deviceId, n);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            SensorSchema s = schema.schema();
            if (di == null || s == null) {
                return List.of();
            }
            if (n <= TAIL) {
                synchronized (di) {
                    if (di.tail == null) {
                        List<SensorReading> newest = newest(deviceId, di, TAIL, s);
                        java.util.Collections.reverse(newest);
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
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read latest readings of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads day files from the newest back until it has {@code n} readings; newest first. */
    private List<SensorReading> newest(String deviceId, DeviceIndex di, int n, SensorSchema s) throws IOException {
        {
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
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            SensorSchema s = schema.schema();
            if (di == null || s == null || !from.isBefore(to)) {
                return List.of();
            }
            List<SensorReading> out = new ArrayList<>();
            for (LocalDate d : di.rowsPerDay.subMap(day(from), true, day(to), true).keySet()) {
                for (SensorReading r : readDay(deviceId, d, s, null)) {
                    if (!r.timestamp().isBefore(from) && r.timestamp().isBefore(to)) {
                        out.add(r);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read readings of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<DeviceInfo> devices() {
        lock.readLock().lock();
        try {
            ensureOpen();
            List<DeviceInfo> out = new ArrayList<>(index.size());
            index.forEach((id, di) -> out.add(new DeviceInfo(id, di.lastSeen, di.count)));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        lock.readLock().lock();
        try {
            ensureOpen();
            DeviceIndex di = index.get(deviceId);
            return di == null ? 0 : di.count;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        Checks.range(deviceId, from, to);
        lock.readLock().lock();
        try {
            ensureOpen();
            Path f = dir.resolve(EVENTS);
            List<DeviceEvent> out = new ArrayList<>();
            int line = 1;
            for (CSVRecord rec : readRecords(f, EVENT_HEADER.length)) {
                line++;
                if (rec.get(1).equals(deviceId)) {
                    DeviceEvent e = event(rec, f, line);
                    if (!e.timestamp().isBefore(from) && e.timestamp().isBefore(to)) {
                        out.add(e);
                    }
                }
            }
            out.sort(Comparator.comparing(DeviceEvent::timestamp));   // stable: ties keep file order
            return out;
        } catch (IOException e) {
            throw new StorageException(location + ": cannot read events of " + deviceId + ": " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + location + " is closed");
        }
    }

    /** Waits for running calls, then closes every open file. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appenders.values().forEach(Appender::closeQuietly);
            appenders.clear();
            try {
                commitChannel.close();
            } catch (IOException e) {
                LOG.debug("closing the commit file failed", e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return location;
    }

    /** Builds a {@link CsvStorage}; {@link #build()} opens (and recovers) the directory. */
    public static final class Builder {
        private final Path dir;
        private boolean fsync;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * @param fsync whether every write is forced to disk before it returns (survives power
         *              failure, costs an fsync per file written); default {@code false} (survives a
         *              process crash only)
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Opens the store, creating the directory if missing, dropping a torn last line or an
         * uncommitted tail left by a crash.
         *
         * @return the open store
         * @throws StorageException naming the file and line when a row is corrupt (nothing is
         *                          changed then), or when the directory is not an iotpm CSV store
         */
        public CsvStorage build() {
            return new CsvStorage(dir, fsync);
        }
    }
}
