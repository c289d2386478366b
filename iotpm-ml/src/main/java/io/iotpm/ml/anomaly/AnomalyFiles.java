package io.iotpm.ml.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The detector's model folder: {@code model.params} (DJL's parameter encoding) and {@code model.json}
 * (kind {@value #KIND}). The JSON names the parameters' size and SHA-256, so a truncated or swapped
 * parameter file is found before the engine reads it; a folder of another kind (the supervised LSTM),
 * another schema or a newer format version is refused with a message that says which.
 */
final class AnomalyFiles {

    /** Version of the folder layout; loading refuses newer ones. */
    static final int FORMAT_VERSION = 1;
    static final String KIND = "iotpm-lstm-autoencoder";
    static final String JSON = "model.json";
    static final String PARAMS = "model.params";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AnomalyFiles() {
    }

    record SchemaJson(String name, List<Channel> channels) {
    }

    record ModelJson(String kind, int formatVersion, String libraryVersion, String engine, String created,
                     String modelVersion, SchemaJson schema, List<String> channels, float[] offset, float[] factor,
                     AutoencoderConfig hyperParameters, double threshold, double healthyMedian,
                     Map<String, Double> metrics, long parametersBytes, String parametersSha256) {
    }

    static void save(Path dir, AutoencoderModel t) throws IOException {
        Files.createDirectories(dir);
        FeaturePipeline fp = t.pipeline();
        SensorSchema s = fp.schema();
        ModelJson json = new ModelJson(KIND, FORMAT_VERSION, libraryVersion(), AutoencoderModel.ENGINE,
                Instant.now().toString(), t.version(), new SchemaJson(s.name(), s.channels()), fp.featureNames(),
                fp.offset(), fp.factor(), t.config(), t.threshold(), t.healthyMedian(), t.metrics(),
                t.parameters().length, HexFormat.of().formatHex(AutoencoderModel.sha256(t.parameters())));
        writeAtomically(dir.resolve(PARAMS), t.parameters());
        writeAtomically(dir.resolve(JSON), MAPPER.writeValueAsBytes(json));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static AnomalyDetector load(Path dir, SensorSchema expected) throws IOException {
        Path jsonFile = dir.resolve(JSON);
        ModelJson m = read(jsonFile);
        SensorSchema schema;
        try {
            SensorSchema.Builder b = SensorSchema.builder(m.schema().name());
            m.schema().channels().forEach(b::channel);
            schema = b.build();
        } catch (RuntimeException e) {
            throw new IOException(jsonFile + " has an invalid schema: " + e.getMessage(), e);
        }
        if (expected != null && !expected.equals(schema)) {
            throw new IllegalArgumentException("anomaly model in " + dir + " was trained on schema '" + schema.name()
                    + "' " + names(schema) + ", but schema '" + expected.name() + "' " + names(expected)
                    + " was expected");
        }
        Path paramsFile = dir.resolve(PARAMS);
        byte[] params = Files.readAllBytes(paramsFile);
        if (params.length != m.parametersBytes()) {
            throw new IOException(paramsFile + " is truncated or replaced: " + params.length + " bytes, but "
                    + JSON + " names " + m.parametersBytes());
        }
        if (!HexFormat.of().formatHex(AutoencoderModel.sha256(params)).equals(m.parametersSha256())) {
            throw new IOException(paramsFile + " does not match the SHA-256 in " + JSON);
        }
        FeaturePipeline fp;
        try {
            int[] idx = m.channels().stream().mapToInt(schema::requireIndex).toArray();
            fp = new FeaturePipeline(schema, idx, false, false, 0, 0, m.offset(), m.factor());
        } catch (RuntimeException e) {
            throw new IOException(jsonFile + " has invalid channels or scaler: " + e.getMessage(), e);
        }
        AnomalyDetector d = new AnomalyDetector(schema, m.hyperParameters());
        try {
            d.install(AutoencoderModel.inference(m.hyperParameters(), fp, params, m.threshold(), m.healthyMedian(),
                    m.metrics() == null ? Map.of() : m.metrics(), null));
        } catch (IllegalArgumentException e) {
            throw new IOException(paramsFile + ": " + e.getMessage(), e);
        }
        return d;
    }

    private static ModelJson read(Path jsonFile) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(jsonFile);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(jsonFile.toString(), null, "no model here: " + JSON + " is missing");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(jsonFile + " is truncated or not valid JSON: " + e.getOriginalMessage(), e);
        }
        String kind = tree == null ? "" : tree.path("kind").asText();
        if (!KIND.equals(kind)) {
            throw new IOException(jsonFile + " holds a model of kind \"" + kind + "\", not an anomaly detector (\""
                    + KIND + "\")");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new IOException(jsonFile + " has format version " + version + ", newer than the " + FORMAT_VERSION
                    + " this iotpm-ml (" + libraryVersion() + ") reads; upgrade iotpm-ml");
        }
        if (version < 1) {
            throw new IOException(jsonFile + " has no valid formatVersion");
        }
        ModelJson m;
        try {
            m = MAPPER.treeToValue(tree, ModelJson.class);
        } catch (JsonProcessingException e) {
            throw new IOException(jsonFile + " is not a valid anomaly model description: " + e.getOriginalMessage(), e);
        }
        if (m.schema() == null || m.channels() == null || m.hyperParameters() == null || m.offset() == null
                || m.factor() == null || !(m.threshold() > 0)) {
            throw new IOException(jsonFile + " lacks schema, channels, scaler, hyperParameters or a positive threshold");
        }
        return m;
    }

    private static String names(SensorSchema s) {
        return "(" + s.size() + " channels: " + String.join(", ", s.channels().stream().map(Channel::name).toList()) + ")";
    }

    static String libraryVersion() {
        String v = AnomalyFiles.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
