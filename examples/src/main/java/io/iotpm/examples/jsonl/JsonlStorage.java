package io.iotpm.examples.jsonl;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A deliberately small backend: readings and events are appended as JSON lines
 * ({@link ReadingJson}) to {@code DIR/readings.jsonl} and {@code DIR/events.jsonl}, and mirrored in
 * memory for reads. Each write is one {@code write} call of whole lines; a torn last line left by a
 * crash is ignored on open. A reading's identity is its device and timestamp: one with a stored
 * (device, timestamp) replaces the stored one in memory, and on open the file's lines are replayed
 * in order, so the last written wins there too (the file keeps the older line until retention
 * rewrites it). Events are not replaced: equal timestamps keep append order. Holds the industrial
 * motor schema only. One big lock: simple, and
 * correct for many threads, not fast.
 */
final class JsonlStorage implements StorageBackend {

    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    private final Path dir;
    private final ReadingJson json = ReadingJson.of(SCHEMA);
    private final TreeMap<String, List<SensorReading>> readings = new TreeMap<>();
    private final TreeMap<String, List<DeviceEvent>> events = new TreeMap<>();
    private FileChannel readingFile;
    private FileChannel eventFile;
    private boolean closed;

    JsonlStorage(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            load(dir.resolve("readings.jsonl"), json::read, this::upsert);
            load(dir.resolve("events.jsonl"), json::readEvent, e -> insert(events, e.deviceId(), e, DeviceEvent::timestamp, false));
            openFiles();
        } catch (IOException e) {
            throw new StorageException("jsonl:" + dir + ": cannot open: " + e, e);
        }
    }

    private void openFiles() throws IOException {
        readingFile = FileChannel.open(dir.resolve("readings.jsonl"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        eventFile = FileChannel.open(dir.resolve("events.jsonl"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private <T> void load(Path f, Function<String, T> parse, Consumer<T> sink) throws IOException {
        if (!Files.exists(f)) {
            return;
        }
        String text = Files.readString(f);
        int end = text.lastIndexOf('\n') + 1;   // anything after the last newline is a torn write
        int line = 0;
        for (String l : text.substring(0, end).split("\n")) {
            line++;
            if (l.isEmpty()) {
                continue;
            }
            try {
                sink.accept(parse.apply(l));
            } catch (IllegalArgumentException e) {   // includes InvalidJsonException
                throw new StorageException("jsonl:" + dir + ": corrupt line " + line + " of " + f + ": " + e.getMessage(), e);
            }
        }
        if (end < text.length()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(text.substring(0, end).getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    private void upsert(SensorReading r) {
        insert(readings, r.deviceId(), r, SensorReading::timestamp, true);
    }

    /** Inserts in time order; with {@code replace}, an item of an equal timestamp is replaced instead. */
    private static <T> void insert(Map<String, List<T>> map, String device, T item, Function<T, Instant> time,
            boolean replace) {
        List<T> l = map.computeIfAbsent(device, k -> new ArrayList<>());
        Instant t = time.apply(item);
        int lo = 0;
        int hi = l.size();
        while (lo < hi) {   // first element after t
            int mid = (lo + hi) >>> 1;
            if (time.apply(l.get(mid)).isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (replace && lo > 0 && time.apply(l.get(lo - 1)).equals(t)) {
            l.set(lo - 1, item);
        } else {
            l.add(lo, item);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage jsonl:" + dir + " is closed");
        }
    }

    private static void write(FileChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    @Override
    public void append(SensorReading reading) {
        appendAll(List.of(Objects.requireNonNull(reading, "reading")));
    }

    @Override
    public synchronized void appendAll(Collection<SensorReading> batch) {
        StringBuilder text = new StringBuilder();
        for (SensorReading r : batch) {
            Objects.requireNonNull(r, "reading in batch");
            if (!r.schema().equals(SCHEMA)) {
                throw new IllegalArgumentException("jsonl storage holds schema '" + SCHEMA.name()
                        + "', but a reading of device '" + r.deviceId() + "' has schema '" + r.schema().name() + "'");
            }
            text.append(json.write(r)).append('\n');
        }
        ensureOpen();
        try {
            write(readingFile, text.toString());
        } catch (IOException e) {
            throw new StorageException("jsonl:" + dir + ": cannot append: " + e, e);
        }
        batch.forEach(this::upsert);
    }

    @Override
    public synchronized List<SensorReading> latest(String deviceId, int n) {
        DeviceIds.requireValid(deviceId);
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, but was " + n);
        }
        ensureOpen();
        List<SensorReading> l = readings.getOrDefault(deviceId, List.of());
        List<SensorReading> out = new ArrayList<>(l.subList(Math.max(0, l.size() - n), l.size()));
        Collections.reverse(out);
        return out;
    }

    @Override
    public synchronized List<SensorReading> range(String deviceId, Instant from, Instant to) {
        checkRange(deviceId, from, to);
        ensureOpen();
        return readings.getOrDefault(deviceId, List.of()).stream()
                .filter(r -> !r.timestamp().isBefore(from) && r.timestamp().isBefore(to)).toList();
    }

    private static void checkRange(String deviceId, Instant from, Instant to) {
        DeviceIds.requireValid(deviceId);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("range start " + from + " is after its end " + to);
        }
    }

    @Override
    public synchronized List<DeviceInfo> devices() {
        ensureOpen();
        List<DeviceInfo> out = new ArrayList<>();
        readings.forEach((id, l) -> {
            if (!l.isEmpty()) {
                out.add(new DeviceInfo(id, l.get(l.size() - 1).timestamp(), l.size()));
            }
        });
        return out;
    }

    @Override
    public synchronized long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        ensureOpen();
        return readings.getOrDefault(deviceId, List.of()).size();
    }

    @Override
    public synchronized void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        ensureOpen();
        try {
            write(eventFile, json.write(event) + "\n");
        } catch (IOException e) {
            throw new StorageException("jsonl:" + dir + ": cannot append event: " + e, e);
        }
        insert(events, event.deviceId(), event, DeviceEvent::timestamp, false);
    }

    @Override
    public synchronized List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        checkRange(deviceId, from, to);
        ensureOpen();
        return events.getOrDefault(deviceId, List.of()).stream()
                .filter(e -> !e.timestamp().isBefore(from) && e.timestamp().isBefore(to)).toList();
    }

    @Override
    public synchronized long deleteBefore(Instant cutoff) {
        ensureOpen();
        long deleted = 0;
        for (List<SensorReading> l : readings.values()) {
            int before = l.size();
            l.removeIf(r -> r.timestamp().isBefore(cutoff));
            deleted += before - l.size();
        }
        events.values().forEach(l -> l.removeIf(e -> e.timestamp().isBefore(cutoff)));
        try {
            readingFile.close();
            eventFile.close();
            rewrite(dir.resolve("readings.jsonl"), readings, json::write);
            rewrite(dir.resolve("events.jsonl"), events, json::write);
            openFiles();
        } catch (IOException e) {
            throw new StorageException("jsonl:" + dir + ": retention failed: " + e, e);
        }
        return deleted;
    }

    /** Writes the kept lines to a temporary file and renames it over the old one. */
    private static <T> void rewrite(Path f, Map<String, List<T>> data, Function<T, String> toJson) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder();
        data.values().forEach(l -> l.forEach(x -> text.append(toJson.apply(x)).append('\n')));
        Files.writeString(tmp, text);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            readingFile.close();
            eventFile.close();
        } catch (IOException e) {
            throw new StorageException("jsonl:" + dir + ": cannot close: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "jsonl:" + dir;
    }
}
