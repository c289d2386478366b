package io.iotpm.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.PlattScaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The model folder: {@code model.params} (DJL's parameter encoding of the network) and
 * {@code model.json}. The JSON names the parameters' size and SHA-256, so a truncated or swapped
 * parameter file is detected before the engine reads it.
 */
final class ModelFiles {

    /**
     * Version of the folder layout; loading refuses newer ones. 2 added the calibration and the
     * maintenance level; a version-1 folder loads without calibration, maintenance level HIGH. 3 added
     * the input smoothing; a model without smoothing is still written as 2, so that an iotpm-ml that
     * does not know smoothing keeps reading it, while one with smoothing is refused there instead of
     * being fed unsmoothed input.
     */
    static final int FORMAT_VERSION = 3;
    /** The format of a model without smoothing. */
    static final int FORMAT_WITHOUT_SMOOTHING = 2;
    static final String JSON = "model.json";
    static final String PARAMS = "model.params";
    static final String KIND = "iotpm-lstm";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFiles() {
    }

    record SchemaJson(String name, List<Channel> channels) {
        static SchemaJson of(SensorSchema s) {
            return new SchemaJson(s.name(), s.channels());
        }

        SensorSchema toSchema() {
            SensorSchema.Builder b = SensorSchema.builder(name);
            channels.forEach(b::channel);
            return b.build();
        }
    }

    record PipelineJson(List<String> channels, boolean vibrationMagnitude, boolean electricalPower, int rollingWindow,
                        int slopeWindow, double smoothing, String scaler, float[] offset, float[] factor, List<String> featureNames) {
    }

    record ModelJson(String kind, int formatVersion, String libraryVersion, String engine, String created,
                     String modelVersion, SchemaJson schema, PipelineJson features, LstmConfig hyperParameters,
                     double threshold, double outputScale, Map<String, Double> metrics, long parametersBytes,
                     String parametersSha256, PlattScaling calibration) {
    }

    static void save(Path dir, LstmPredictor p, SensorSchema schema, LstmConfig config, LstmModel t)
            throws IOException {
        Files.createDirectories(dir);
        FeaturePipeline fp = t.pipeline();
        List<String> channels = Arrays.stream(fp.channels()).mapToObj(schema::channelName).toList();
        PipelineJson pj = new PipelineJson(channels, fp.vibrationMagnitude(), fp.electricalPower(), fp.rollingWindow(),
                fp.slopeWindow(), fp.smoothing(), config.scaler().name(), fp.offset(), fp.factor(), fp.featureNames());
        int format = fp.smoothing() > 0 ? FORMAT_VERSION : FORMAT_WITHOUT_SMOOTHING;
        ModelJson json = new ModelJson(KIND, format, libraryVersion(), LstmModel.ENGINE,
                Instant.now().toString(), t.version(), SchemaJson.of(schema), pj, config, t.threshold(),
                t.outputScale(), t.metrics(), t.parameters().length, HexFormat.of().formatHex(sha256(t.parameters())),
                t.calibration());
        writeAtomically(dir.resolve(PARAMS), t.parameters());
        writeAtomically(dir.resolve(JSON), MAPPER.writeValueAsBytes(json));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static LstmPredictor load(Path dir, SensorSchema expected) throws IOException {
        Path jsonFile = dir.resolve(JSON);
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
        if (tree == null || !tree.isObject() || !KIND.equals(tree.path("kind").asText())) {
            throw new IOException(jsonFile + " is not an iotpm LSTM model (\"kind\" is not \"" + KIND + "\")");
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
            throw new IOException(jsonFile + " is not a valid model description: " + e.getOriginalMessage(), e);
        }
        if (m.schema() == null || m.features() == null || m.hyperParameters() == null) {
            throw new IOException(jsonFile + " lacks schema, features or hyperParameters");
        }
        SensorSchema schema;
        try {
            schema = m.schema().toSchema();
        } catch (RuntimeException e) {
            throw new IOException(jsonFile + " has an invalid schema: " + e.getMessage(), e);
        }
        if (expected != null && !expected.equals(schema)) {
            throw new IllegalArgumentException("model in " + dir + " was trained on schema '" + schema.name() + "' "
                    + names(schema) + ", but schema '" + expected.name() + "' " + names(expected) + " was expected");
        }
        Path paramsFile = dir.resolve(PARAMS);
        byte[] params = Files.readAllBytes(paramsFile);
        if (params.length != m.parametersBytes()) {
            throw new IOException(paramsFile + " is truncated or replaced: " + params.length + " bytes, but "
                    + jsonFile.getFileName() + " names " + m.parametersBytes());
        }
        if (!HexFormat.of().formatHex(sha256(params)).equals(m.parametersSha256())) {
            throw new IOException(paramsFile + " does not match the SHA-256 in " + jsonFile.getFileName());
        }
        PipelineJson pj = m.features();
        FeaturePipeline fp;
        try {
            int[] idx = pj.channels().stream().mapToInt(schema::requireIndex).toArray();
            fp = new FeaturePipeline(schema, idx, pj.vibrationMagnitude(), pj.electricalPower(), pj.rollingWindow(),
                    pj.slopeWindow(), pj.smoothing(), pj.offset(), pj.factor());
        } catch (RuntimeException e) {
            throw new IOException(jsonFile + " has invalid features: " + e.getMessage(), e);
        }
        LstmPredictor p = new LstmPredictor(schema, m.hyperParameters());
        try {
            p.install(LstmModel.inference(m.hyperParameters(), fp, params, m.outputScale(), m.threshold(),
                    m.calibration() == null ? PlattScaling.IDENTITY : m.calibration(), m.metrics() == null ? Map.of() : m.metrics(), null));
        } catch (IllegalArgumentException e) {
            throw new IOException(paramsFile + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static String names(SensorSchema s) {
        return "(" + s.size() + " channels: " + String.join(", ", s.channels().stream().map(Channel::name).toList()) + ")";
    }

    static String libraryVersion() {
        String v = ModelFiles.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
