package io.iotpm.ml.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Predictors;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.internal.Folders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A registry of trained models in a folder, for hosts without other model storage:
 * {@code models/<version>/} holds each model folder as saved ({@code model.json} + {@code model.params}),
 * and {@code registry.json} the entries, the active version per schema and the activation history
 * (written to a temporary file and renamed, so a crash leaves the old or the new index, never half).
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.open(Path.of("data/models"));
 * ModelEntry e = registry.register(lstm, new ModelRegistry.Registration("admin", from, to));
 * registry.activate(e.version());                 // the first model of a schema is activated on registration
 * try (Predictor p = registry.loadActive(schema).orElseThrow()) { ... }
 * registry.rollback(schema.name());               // back to the previously active model
 * }</pre>
 *
 * <p>Exactly one model is active per schema once one is registered. The state survives restarts
 * (reopen the folder). Loading refuses a model trained on another schema (naming both) or saved in a
 * newer format, as {@link Predictors#load} and {@link AnomalyDetector#load} do; opening refuses an
 * index of a newer format. Methods are synchronized: one registry object per folder and process.
 */
public final class ModelRegistry {

    /** Version of {@code registry.json}; opening refuses newer ones. */
    public static final int FORMAT_VERSION = 1;
    static final String INDEX = "registry.json";
    static final String LSTM_KIND = "iotpm-lstm";
    static final String AUTOENCODER_KIND = "iotpm-lstm-autoencoder";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final Clock clock;
    private final Map<String, ModelEntry> entries = new LinkedHashMap<>();
    /** Per schema, the versions in the order they were activated; the last is the active one. */
    private final Map<String, List<String>> history = new LinkedHashMap<>();

    /**
     * Who registers a model and what data it learned from.
     *
     * @param registeredBy the user or job that trained or imported it
     * @param trainingFrom start of the training data, or null
     * @param trainingTo   end of the training data, or null
     */
    public record Registration(String registeredBy, Instant trainingFrom, Instant trainingTo) {
        /** @throws IllegalArgumentException if the user is blank or the range is reversed */
        public Registration {
            if (registeredBy == null || registeredBy.isBlank()) {
                throw new IllegalArgumentException("registeredBy must not be blank, but was '" + registeredBy + "'");
            }
            if (trainingFrom != null && trainingTo != null && trainingTo.isBefore(trainingFrom)) {
                throw new IllegalArgumentException("training range must not end before it starts, but was "
                        + trainingFrom + " .. " + trainingTo);
            }
        }
    }

    record Index(int formatVersion, List<EntryJson> models, Map<String, List<String>> history) {
    }

    /** An entry as JSON, times as ISO-8601 text (core's Jackson has no java.time module). */
    record EntryJson(String version, String kind, String schema, String trainingFrom, String trainingTo,
                     Map<String, Double> metrics, String registeredBy, String registeredAt) {
        static EntryJson of(ModelEntry e) {
            return new EntryJson(e.version(), e.kind(), e.schema(), text(e.trainingFrom()), text(e.trainingTo()),
                    e.metrics(), e.registeredBy(), e.registeredAt().toString());
        }

        ModelEntry toEntry() {
            return new ModelEntry(version, kind, schema, time(trainingFrom), time(trainingTo), metrics, registeredBy,
                    Instant.parse(registeredAt));
        }

        private static String text(Instant t) {
            return t == null ? null : t.toString();
        }

        private static Instant time(String s) {
            return s == null ? null : Instant.parse(s);
        }
    }

    private ModelRegistry(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Opens (or creates) a registry in a folder, with the system clock.
     *
     * @param dir the folder
     * @return the registry
     * @throws IOException if the index cannot be read, is not valid, or has a newer format version
     */
    public static ModelRegistry open(Path dir) throws IOException {
        return open(dir, Clock.systemUTC());
    }

    /**
     * Opens (or creates) a registry in a folder.
     *
     * @param dir   the folder
     * @param clock stamps registrations
     * @return the registry
     * @throws IOException if the index cannot be read, is not valid, or has a newer format version
     */
    public static ModelRegistry open(Path dir, Clock clock) throws IOException {
        ModelRegistry r = new ModelRegistry(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(clock, "clock"));
        Files.createDirectories(dir.resolve("models"));
        r.read();
        return r;
    }

    private void read() throws IOException {
        Path file = dir.resolve(INDEX);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        Index index;
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            int version = tree == null ? -1 : tree.path("formatVersion").asInt(-1);
            if (version > FORMAT_VERSION) {
                throw new IOException(file + " has format version " + version + ", newer than the " + FORMAT_VERSION
                        + " this iotpm-ml reads; upgrade iotpm-ml");
            }
            if (version < 1) {
                throw new IOException(file + " has no valid formatVersion");
            }
            index = MAPPER.treeToValue(tree, Index.class);
            for (EntryJson e : index.models()) {
                entries.put(e.version(), e.toEntry());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IOException(file + " is not a valid model registry index: " + e.getMessage(), e);
        }
        if (index.history() != null) {
            index.history().forEach((schema, versions) -> history.put(schema, new ArrayList<>(versions)));
        }
    }

    /**
     * Saves a trained LSTM into the registry and records it.
     *
     * @param model        a trained predictor
     * @param registration who and what data
     * @return the entry (the existing one when this version is already registered)
     * @throws IOException on a write error
     */
    public synchronized ModelEntry register(LstmPredictor model, Registration registration) throws IOException {
        return registerSaved(model.version(), registration, model::save);
    }

    /**
     * Saves a trained anomaly detector into the registry and records it.
     *
     * @param model        a trained detector
     * @param registration who and what data
     * @return the entry (the existing one when this version is already registered)
     * @throws IOException on a write error
     */
    public synchronized ModelEntry register(AnomalyDetector model, Registration registration) throws IOException {
        return registerSaved(model.version(), registration, model::save);
    }

    /**
     * Imports a saved model folder (an LSTM's or an anomaly detector's), after loading it once to check
     * it is complete and readable.
     *
     * @param modelFolder  the folder with {@code model.json} and {@code model.params}
     * @param registration who and what data
     * @return the entry (the existing one when this version is already registered)
     * @throws IOException if the folder is not a model iotpm-ml reads (another kind, a newer format,
     *                     truncated files), or on a write error
     */
    public synchronized ModelEntry register(Path modelFolder, Registration registration) throws IOException {
        try (Predictor p = loadFolder(modelFolder, null)) {
            String version = p instanceof LstmPredictor l ? l.version() : ((AnomalyDetector) p).version();
            return registerSaved(version, registration, target -> copyFolder(modelFolder, target));
        }
    }

    @FunctionalInterface
    private interface Saver {
        void save(Path dir) throws IOException;
    }

    private ModelEntry registerSaved(String version, Registration registration, Saver saver) throws IOException {
        Objects.requireNonNull(registration, "registration");
        ModelEntry existing = entries.get(version);
        if (existing != null) {
            return existing;
        }
        DeviceIds.requireValid(version);
        Path target = modelDir(version);
        Path tmp = Files.createTempDirectory(dir.resolve("models"), "." + version + "-");
        try {
            saver.save(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Folders.deleteRecursively(tmp);
        }
        JsonNode json = MAPPER.readTree(target.resolve("model.json").toFile());
        Map<String, Double> metrics = new LinkedHashMap<>();
        json.path("metrics").properties().forEach(f -> metrics.put(f.getKey(), f.getValue().asDouble()));
        ModelEntry e = new ModelEntry(version, json.path("kind").asText(), json.path("schema").path("name").asText(),
                registration.trainingFrom(), registration.trainingTo(), metrics, registration.registeredBy(),
                clock.instant());
        entries.put(version, e);
        if (!history.containsKey(e.schema()) || history.get(e.schema()).isEmpty()) {
            history.computeIfAbsent(e.schema(), k -> new ArrayList<>()).add(version);
        }
        write();
        return e;
    }

    /** @return every entry, oldest registration first */
    public synchronized List<ModelEntry> list() {
        return List.copyOf(entries.values());
    }

    /**
     * @param version a registered version
     * @return its entry
     * @throws IllegalArgumentException if it is not registered, naming the known ones
     */
    public synchronized ModelEntry entry(String version) {
        ModelEntry e = entries.get(version);
        if (e == null) {
            throw new IllegalArgumentException("no model '" + version + "' in the registry; it has "
                    + entries.keySet());
        }
        return e;
    }

    /**
     * @param schema a schema name
     * @return the active model of that schema, empty when none is registered
     */
    public synchronized Optional<ModelEntry> active(String schema) {
        List<String> h = history.get(schema);
        return h == null || h.isEmpty() ? Optional.empty() : Optional.of(entries.get(h.get(h.size() - 1)));
    }

    /**
     * Makes a registered model the active one of its schema (the previous one stays registered).
     *
     * @param version a registered version
     * @return its entry
     * @throws IllegalArgumentException if it is not registered
     * @throws IOException              if the index cannot be written
     */
    public synchronized ModelEntry activate(String version) throws IOException {
        ModelEntry e = entry(version);
        List<String> h = history.computeIfAbsent(e.schema(), k -> new ArrayList<>());
        if (h.isEmpty() || !h.get(h.size() - 1).equals(version)) {
            h.add(version);
            write();
        }
        return e;
    }

    /**
     * Re-activates the model that was active before the current one of a schema.
     *
     * @param schema a schema name
     * @return the now active entry
     * @throws IllegalStateException if the schema has no earlier active model
     * @throws IOException           if the index cannot be written
     */
    public synchronized ModelEntry rollback(String schema) throws IOException {
        List<String> h = history.get(schema);
        if (h == null || h.size() < 2) {
            throw new IllegalStateException("schema '" + schema + "' has no earlier active model to roll back to"
                    + (h == null || h.isEmpty() ? "" : "; active: " + h.get(h.size() - 1)));
        }
        String current = h.remove(h.size() - 1);
        // Drop repeats of the current version at the end, so a rollback never lands on the same model.
        while (h.size() > 1 && h.get(h.size() - 1).equals(current)) {
            h.remove(h.size() - 1);
        }
        write();
        return entries.get(h.get(h.size() - 1));
    }

    /**
     * Loads a registered model, checking its schema.
     *
     * @param version a registered version
     * @param schema  the schema the caller's readings have
     * @return the model, ready to predict; the caller closes it
     * @throws IllegalArgumentException if it is not registered or was trained on another schema (naming both)
     * @throws IOException              if its files are missing, truncated or of a newer format
     */
    public synchronized Predictor load(String version, SensorSchema schema) throws IOException {
        entry(version);
        return loadFolder(modelDir(version), Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Loads the active model of a schema.
     *
     * @param schema the schema
     * @return the model, empty when none is registered for that schema
     * @throws IOException if its files are missing, truncated or of a newer format
     */
    public synchronized Optional<Predictor> loadActive(SensorSchema schema) throws IOException {
        Optional<ModelEntry> a = active(schema.name());
        return a.isEmpty() ? Optional.empty() : Optional.of(load(a.get().version(), schema));
    }

    private static Predictor loadFolder(Path folder, SensorSchema schema) throws IOException {
        Path json = folder.resolve("model.json");
        String kind;
        try {
            kind = MAPPER.readTree(json.toFile()).path("kind").asText();
        } catch (JsonProcessingException e) {
            throw new IOException(json + " is truncated or not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(json)) {
                throw new NoSuchFileException(json.toString(), null, "no model here: model.json is missing");
            }
            throw e;
        }
        return switch (kind) {
            case LSTM_KIND -> schema == null ? Predictors.load(folder) : Predictors.load(folder, schema);
            case AUTOENCODER_KIND -> schema == null ? AnomalyDetector.load(folder) : AnomalyDetector.load(folder, schema);
            default -> throw new IOException(json + " holds a model of kind \"" + kind + "\"; the registry keeps \""
                    + LSTM_KIND + "\" and \"" + AUTOENCODER_KIND + "\"");
        };
    }

    private Path modelDir(String version) {
        return dir.resolve("models").resolve(version);
    }

    private void write() throws IOException {
        Index index = new Index(FORMAT_VERSION, entries.values().stream().map(EntryJson::of).toList(), history);
        Path file = dir.resolve(INDEX);
        Path tmp = file.resolveSibling(INDEX + ".tmp");
        Files.write(tmp, MAPPER.writeValueAsBytes(index));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
