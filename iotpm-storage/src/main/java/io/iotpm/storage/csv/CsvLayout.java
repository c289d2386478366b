package io.iotpm.storage.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import io.iotpm.storage.internal.SchemaJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where a CSV store keeps what: the file names, the data files' headers, and the metadata file
 * {@code iotpm-csv.json} (format version and sensor schema), which is only ever replaced
 * atomically. See {@link CsvStorage} for the layout as a whole.
 */
final class CsvLayout {

    static final String META = "iotpm-csv.json";
    static final String COMMIT = "commit";
    static final String EVENTS = "events.csv";
    static final String DEVICES = "devices";
    static final String[] EVENT_HEADER = {"seq", "device_id", "timestamp", "kind", "detail"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final Path devicesDir;
    private final String location;

    CsvLayout(Path dir) {
        this.dir = dir;
        this.devicesDir = dir.resolve(DEVICES);
        this.location = "csv:" + dir;
    }

    /** @return the store's directory */
    Path dir() {
        return dir;
    }

    /** @return the folder holding one folder per device */
    Path devicesDir() {
        return devicesDir;
    }

    /** @return {@code csv:DIR}, which starts every message */
    String location() {
        return location;
    }

    /** @return the events file */
    Path eventsFile() {
        return dir.resolve(EVENTS);
    }

    /** @return the header row of a data file: {@code seq,timestamp,health_score,} then the channels */
    static String[] header(SensorSchema s) {
        String[] h = new String[3 + s.size()];
        h[0] = "seq";
        h[1] = "timestamp";
        h[2] = "health_score";
        for (int i = 0; i < s.size(); i++) {
            h[3 + i] = s.channelName(i);
        }
        return h;
    }

    Path dayFile(String deviceId, LocalDate day) {
        // deviceId is validated (no separators, no dot runs), so this stays inside devicesDir.
        return devicesDir.resolve(DeviceIds.requireValid(deviceId)).resolve(day + ".csv");
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * Reads the metadata file, or writes an empty one into an empty directory.
     *
     * @return the stored format version and schema (the schema is {@code null} while the store
     *         holds no readings)
     * @throws StorageException when the directory is not an iotpm CSV store, the file is damaged, or
     *                          its version is not one this class reads (1 or {@value CsvStorage#FORMAT_VERSION})
     */
    Meta readMeta() throws IOException {
        Path meta = dir.resolve(META);
        if (!Files.exists(meta)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    throw new StorageException(location + " is not an iotpm CSV store (no " + META
                            + ", but it contains " + p.getFileName() + "); it was not modified");
                }
            }
            writeMeta(null);
            return new Meta(CsvStorage.FORMAT_VERSION, null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(meta));
        } catch (IOException e) {
            throw new StorageException(location + ": " + META + " is not valid JSON: " + e.getMessage(), e);
        }
        int version = root.path("format_version").asInt(-1);
        if (version != 1 && version != CsvStorage.FORMAT_VERSION) {
            throw new StorageException(location + ": " + META + " has format_version " + root.path("format_version")
                    + "; this version reads 1 and " + CsvStorage.FORMAT_VERSION);
        }
        JsonNode s = root.path("schema");
        if (s.isMissingNode() || s.isNull()) {
            return new Meta(version, null);
        }
        try {
            return new Meta(version, SchemaJson.read(s.toString(), dir.resolve(META).toString()));
        } catch (IllegalArgumentException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /**
     * What the metadata file holds.
     *
     * @param version its format version
     * @param schema  the stored schema, or {@code null} while the store holds no readings
     */
    record Meta(int version, SensorSchema schema) {
    }

    /** Replaces the metadata file (at the current version); {@code s} is {@code null} for a store without readings. */
    void writeMeta(SensorSchema s) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format_version", CsvStorage.FORMAT_VERSION);
        if (s != null) {
            root.set("schema", MAPPER.readTree(SchemaJson.write(s)));
        }
        writeAtomically(dir.resolve(META), (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a synced temporary sibling, then renames it over {@code target}. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
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

    /** @return whether any device folder exists */
    boolean hasDeviceFiles() throws IOException {
        if (!Files.isDirectory(devicesDir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(devicesDir)) {
            return ds.iterator().hasNext();
        }
    }
}
