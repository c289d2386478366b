package io.iotpm.ml.tensorflow;

import io.iotpm.core.RiskLevel;

import io.iotpm.ml.anomaly.AnomalyCalibration;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.PlattScaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a SavedModel needs beside its graph to serve {@link io.iotpm.core.Prediction}s: the
 * {@code model.json} file in the SavedModel folder. It names the input channels in model order, the
 * window length, the scaler fitted on the training data, the risk thresholds, and optionally which
 * signature, input and output to use.
 *
 * <pre>{@code
 * {
 *   "model_version": "lstm-2026-11-25",
 *   "channels": ["temperature", "vibration_x", ...],
 *   "sequence_length": 60,
 *   "scaler": {"type": "min_max", "min": [...], "max": [...]},      // or z_score with mean/std, or none
 *   "thresholds": {"medium": 0.3, "high": 0.5, "critical": 0.8, "decision": 0.5, "maintenance_level": "high"},
 *   "signature": "serving_default", "input": "window", "output": "failure_probability",
 *   "output_kind": "probability"                  // or "logit", or "rul" with "horizon": 10, or
 *                                                 // "reconstruction" with "anomaly": {"threshold": t, "healthy_median": m}
 *   "calibration": {"method": "platt", "a": 0.61, "b": -1.3},       // optional
 *   "min_history": 30                              // optional: shorter windows are padded at the front
 * }
 * }</pre>
 *
 * Unknown fields are ignored, so a richer {@code model.json} (hyper-parameters, metrics) reads too.
 *
 * @param modelVersion   goes into every prediction
 * @param channels       input channels, in the model's feature order
 * @param sequenceLength time steps per window
 * @param scaler         applied to raw readings
 * @param thresholds     risk thresholds
 * @param signature      signature key in the SavedModel
 * @param input          input name in the signature, empty to take its only input
 * @param output         output name in the signature, empty to take its only output
 * @param outputKind     whether the output is a probability, a logit (sigmoid applied here) or a
 *                       remaining useful life in steps
 * @param horizon        for a {@link OutputKind#RUL} output, the steps ahead within which a failure
 *                       counts (maintenance is needed when the RUL is at most this); 0 otherwise
 * @param features       the trainer's feature pipeline, when the model takes derived features; the
 *                       channels then name its features and the scaler is none
 * @param calibration    Platt scaling applied to the output's score to give {@code maintenance_probability}
 *                       (the logit; for a probability output, its logit; for an RUL output, the failure
 *                       score); {@code "calibration": {"method": "platt", "a": ..., "b": ...}} in the JSON,
 *                       the identity when absent
 * @param anomaly        for a {@link OutputKind#RECONSTRUCTION} output, the score threshold and the
 *                       calibration of its probability (JSON {@code "anomaly": {"threshold": t,
 *                       "healthy_median": m}}); empty otherwise
 * @param minHistory     the fewest readings a window may hold, in {@code [1, sequenceLength]}: a shorter
 *                       window is padded at the front with copies of its oldest reading, as the model
 *                       was trained ({@code "min_history"}, written only when below the sequence length);
 *                       0 reads as the sequence length
 */
public record ModelSidecar(String modelVersion, List<String> channels, int sequenceLength, Scaler scaler,
                           RiskThresholds thresholds, String signature, Optional<String> input,
                           Optional<String> output, OutputKind outputKind, int horizon,
                           Optional<DerivedFeatures> features, PlattScaling calibration,
                           Optional<AnomalyCalibration> anomaly, int minHistory) {

    /** File name of the sidecar inside a SavedModel folder. */
    public static final String FILE_NAME = "model.json";
    /** The signature key TensorFlow and Keras use by default. */
    public static final String DEFAULT_SIGNATURE = "serving_default";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the model's output means. */
    public enum OutputKind {
        /** The output is already a probability in [0, 1] (a sigmoid head). */
        PROBABILITY,
        /** The output is a logit; the predictor applies the sigmoid. */
        LOGIT,
        /**
         * The output is the remaining useful life in time steps. The failure probability is then the
         * score {@code sigmoid((horizon - rul) / max(1, horizon / 5))}, 0.5 at the horizon, as the
         * PyTorch LSTM's RUL task computes it; it orders devices like the RUL, it is not calibrated.
         */
        RUL,
        /**
         * The output is the reconstruction {@code [batch, time, features]} of the scaled input (an
         * autoencoder). The score is the mean squared difference; {@code maintenanceNeeded} is
         * {@code score >= anomaly.threshold}; the probability and risk come from {@link AnomalyCalibration}
         * and the thresholds' {@code medium} and {@code critical}, and every channel's share of
         * {@code score / threshold} is a contribution, as {@code AnomalyDetector} reports them.
         */
        RECONSTRUCTION
    }

    /** @throws IllegalArgumentException on a bad field, naming it */
    public ModelSidecar {
        Objects.requireNonNull(modelVersion, "modelVersion");
        channels = List.copyOf(channels);
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(outputKind, "outputKind");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(anomaly, "anomaly");
        if (modelVersion.isBlank()) {
            throw new IllegalArgumentException("model_version must not be blank");
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels must not be empty");
        }
        if (new HashSet<>(channels).size() != channels.size()) {
            throw new IllegalArgumentException("channels must be distinct, but were " + channels);
        }
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("sequence_length must be > 0, but was " + sequenceLength);
        }
        if (minHistory == 0) {
            minHistory = sequenceLength;
        }
        if (minHistory < 1 || minHistory > sequenceLength) {
            throw new IllegalArgumentException("min_history must be in [1, sequence_length " + sequenceLength
                    + "], but was " + minHistory);
        }
        if (scaler.kind() != Scaler.Kind.NONE && scaler.size() != channels.size()) {
            throw new IllegalArgumentException("scaler has " + scaler.size() + " features but there are "
                    + channels.size() + " channels");
        }
        if (signature.isBlank()) {
            throw new IllegalArgumentException("signature must not be blank");
        }
        if (features.isPresent() && features.get().featureCount() != channels.size()) {
            throw new IllegalArgumentException("features make " + features.get().featureCount()
                    + " features but channels names " + channels.size());
        }
        if (features.isPresent() && scaler.kind() != Scaler.Kind.NONE) {
            throw new IllegalArgumentException("a scaler and derived features (which carry their own) cannot be combined");
        }
        if (outputKind == OutputKind.RUL ? horizon <= 0 : horizon != 0) {
            throw new IllegalArgumentException("horizon must be > 0 for a rul output and absent otherwise, but was "
                    + horizon + " with output_kind " + outputKind.name().toLowerCase(Locale.ROOT));
        }
        if ((outputKind == OutputKind.RECONSTRUCTION) != anomaly.isPresent()) {
            throw new IllegalArgumentException("anomaly (threshold, healthy_median) must be given for a reconstruction"
                    + " output and only then, but output_kind is " + outputKind.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A sidecar without anomaly calibration (any output kind but {@link OutputKind#RECONSTRUCTION}).
     *
     * @param modelVersion   goes into every prediction
     * @param channels       input channels, in the model's feature order
     * @param sequenceLength time steps per window
     * @param scaler         applied to raw readings
     * @param thresholds     risk thresholds
     * @param signature      signature key
     * @param input          input name, empty for the only one
     * @param output         output name, empty for the only one
     * @param outputKind     what the output means
     * @param horizon        for an RUL output, its horizon; 0 otherwise
     * @param features       derived features, if any
     */
    public ModelSidecar(String modelVersion, List<String> channels, int sequenceLength, Scaler scaler,
                        RiskThresholds thresholds, String signature, Optional<String> input, Optional<String> output,
                        OutputKind outputKind, int horizon, Optional<DerivedFeatures> features) {
        this(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output, outputKind, horizon,
                features, PlattScaling.IDENTITY, Optional.empty(), 0);
    }

    /**
     * @param modelVersion   goes into every prediction
     * @param channels       input channels in model order
     * @param sequenceLength time steps per window
     * @return a sidecar with no scaler, default thresholds, {@value #DEFAULT_SIGNATURE} and a probability output
     */
    public static ModelSidecar of(String modelVersion, List<String> channels, int sequenceLength) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, Scaler.none(), RiskThresholds.DEFAULT,
                DEFAULT_SIGNATURE, Optional.empty(), Optional.empty(), OutputKind.PROBABILITY, 0, Optional.empty(),
                PlattScaling.IDENTITY, Optional.empty(), 0);
    }

    /**
     * @param c Platt scaling the predictor applies to the output's score (a logit, the logit of a
     *          probability, or an RUL's failure score)
     * @return a copy with it
     */
    public ModelSidecar withCalibration(PlattScaling c) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, features, c, anomaly, minHistory);
    }

    /** @param s the scaler @return a copy with it */
    public ModelSidecar withScaler(Scaler s) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, s, thresholds, signature, input, output, outputKind,
                horizon, features, calibration, anomaly, minHistory);
    }

    /** @param t the thresholds @return a copy with them */
    public ModelSidecar withThresholds(RiskThresholds t) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, t, signature, input, output, outputKind,
                horizon, features, calibration, anomaly, minHistory);
    }

    /**
     * @param signatureKey signature key
     * @param inputName    input name
     * @param outputName   output name
     * @return a copy naming them
     */
    public ModelSidecar withSignature(String signatureKey, String inputName, String outputName) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signatureKey,
                Optional.of(inputName), Optional.of(outputName), outputKind, horizon, features, calibration, anomaly, minHistory);
    }

    /** @param k a probability or logit output kind @return a copy with it */
    public ModelSidecar withOutputKind(OutputKind k) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output, k, 0,
                features, calibration, anomaly, minHistory);
    }

    /**
     * @param steps the horizon in time steps
     * @return a copy whose output is a remaining useful life
     */
    public ModelSidecar withRulOutput(int steps) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                OutputKind.RUL, steps, features, calibration, anomaly, minHistory);
    }

    /**
     * @param calibration the score threshold and its calibration
     * @return a copy whose output is the reconstruction of its input (an autoencoder)
     */
    public ModelSidecar withReconstructionOutput(AnomalyCalibration calibration) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                OutputKind.RECONSTRUCTION, 0, features, this.calibration, Optional.of(calibration), minHistory);
    }

    /**
     * @param f the trainer's feature pipeline
     * @return a copy whose input is those derived features
     */
    public ModelSidecar withFeatures(DerivedFeatures f) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, Optional.of(f), calibration, anomaly, minHistory);
    }

    /**
     * @param readings the fewest readings a window may hold, in {@code [1, sequenceLength]}
     * @return a copy that pads shorter windows at the front with their oldest reading
     */
    public ModelSidecar withMinHistory(int readings) {
        if (readings < 1) {
            throw new IllegalArgumentException("min_history must be >= 1, but was " + readings);
        }
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, features, calibration, anomaly, readings);
    }

    /**
     * The sidecar of a trained LSTM's network ({@code LstmPredictor.network()}): its version, feature
     * recipe, window length and minimum history, a probability output (classification) or an RUL output with its horizon.
     *
     * @param network    a trained network
     * @param thresholds its risk thresholds and decision threshold
     * @return the sidecar to export its {@link LstmNetwork#weights()} with
     */
    public static ModelSidecar forLstm(LstmNetwork network, RiskThresholds thresholds) {
        ModelSidecar s = of(network.version(), network.featureNames(), network.sequenceLength())
                .withFeatures(network.features())
                .withThresholds(thresholds)
                .withCalibration(network.calibration())
                .withMinHistory(network.minHistory());
        // A classifier's weights end in its logit; the predictor applies the calibration to it.
        return network.remainingUsefulLife() ? s.withRulOutput(network.horizon()) : s.withOutputKind(OutputKind.LOGIT);
    }

    /**
     * Reads {@code model.json} from a SavedModel folder.
     *
     * @param modelDir the folder
     * @return the sidecar, or empty if the folder has no {@value #FILE_NAME}
     * @throws IOException              on a read error
     * @throws IllegalArgumentException if the file is not valid JSON or a field is missing or bad (named)
     */
    public static Optional<ModelSidecar> read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param json the text of a {@code model.json}
     * @return the sidecar
     * @throws IllegalArgumentException if it is not valid JSON or a field is missing or bad (named)
     */
    public static ModelSidecar parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        String version = text(root, "model_version", "unversioned");
        List<String> channels = channels(root);
        JsonNode len = root.get("sequence_length");
        if (len == null || !len.canConvertToInt() || !len.isIntegralNumber()) {
            throw new IllegalArgumentException("sequence_length must be an integer, but was " + len);
        }
        Scaler scaler = scaler(root.get("scaler"));
        RiskThresholds thresholds = thresholds(root.get("thresholds"));
        String signature = text(root, "signature", DEFAULT_SIGNATURE);
        Optional<String> input = Optional.ofNullable(text(root, "input", null));
        Optional<String> output = Optional.ofNullable(text(root, "output", null));
        String kind = text(root, "output_kind", "probability");
        OutputKind outputKind;
        try {
            outputKind = OutputKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("output_kind must be 'probability', 'logit', 'rul' or 'reconstruction',"
                    + " but was '" + kind + "'", e);
        }
        JsonNode h = root.get("horizon");
        if (h != null && !h.isIntegralNumber()) {
            throw new IllegalArgumentException("horizon must be an integer, but was " + h);
        }
        JsonNode minHistory = root.get("min_history");
        if (minHistory != null && !minHistory.isIntegralNumber()) {
            throw new IllegalArgumentException("min_history must be an integer, but was " + minHistory);
        }
        return new ModelSidecar(version, channels, len.intValue(), scaler, thresholds, signature, input, output,
                outputKind, h == null ? 0 : h.intValue(), features(root.get("features")),
                calibration(root.get("calibration")), anomaly(root.get("anomaly")),
                minHistory == null ? 0 : minHistory.intValue());
    }

    /** @return this sidecar as {@code model.json} text */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "iotpm-savedmodel/1");
        root.put("model_version", modelVersion);
        ArrayNode ch = root.putArray("channels");
        channels.forEach(ch::add);
        root.put("sequence_length", sequenceLength);
        if (minHistory < sequenceLength) {
            root.put("min_history", minHistory);
        }
        ObjectNode sc = root.putObject("scaler");
        switch (scaler.kind()) {
            case NONE -> sc.put("type", "none");
            case MIN_MAX -> {
                sc.put("type", "min_max");
                addAll(sc.putArray("min"), scaler.first());
                addAll(sc.putArray("max"), scaler.second());
            }
            case Z_SCORE -> {
                sc.put("type", "z_score");
                addAll(sc.putArray("mean"), scaler.first());
                addAll(sc.putArray("std"), scaler.second());
            }
        }
        ObjectNode th = root.putObject("thresholds");
        th.put("medium", thresholds.medium());
        th.put("high", thresholds.high());
        th.put("critical", thresholds.critical());
        th.put("decision", thresholds.decision());
        th.put("maintenance_level", thresholds.maintenanceLevel().name().toLowerCase(Locale.ROOT));
        if (!calibration.equals(PlattScaling.IDENTITY)) {
            ObjectNode cal = root.putObject("calibration");
            cal.put("method", "platt");
            cal.put("a", calibration.a());
            cal.put("b", calibration.b());
        }
        root.put("signature", signature);
        input.ifPresent(v -> root.put("input", v));
        output.ifPresent(v -> root.put("output", v));
        root.put("output_kind", outputKind.name().toLowerCase(Locale.ROOT));
        if (outputKind == OutputKind.RUL) {
            root.put("horizon", horizon);
        }
        anomaly.ifPresent(a -> {
            ObjectNode an = root.putObject("anomaly");
            an.put("threshold", a.threshold());
            an.put("healthy_median", a.healthyMedian());
        });
        features.ifPresent(f -> {
            ObjectNode fe = root.putObject("features");
            ArrayNode fc = fe.putArray("channels");
            f.channels().forEach(fc::add);
            fe.put("vibrationMagnitude", f.vibrationMagnitude());
            fe.put("electricalPower", f.electricalPower());
            fe.put("rollingWindow", f.rollingWindow());
            fe.put("slopeWindow", f.slopeWindow());
            if (f.smoothing() > 0) {
                fe.put("smoothing", f.smoothing());
            }
            ArrayNode off = fe.putArray("offset");
            ArrayNode fac = fe.putArray("factor");
            for (int i = 0; i < f.featureCount(); i++) {
                off.add(f.offset()[i]);
                fac.add(f.factor()[i]);
            }
        });
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@value #FILE_NAME} into a folder.
     *
     * @param modelDir the folder
     * @throws IOException on a write error
     */
    public void write(Path modelDir) throws IOException {
        Files.writeString(modelDir.resolve(FILE_NAME), toJson(), StandardCharsets.UTF_8);
    }

    private static void addAll(ArrayNode a, double[] v) {
        for (double d : v) {
            a.add(d);
        }
    }

    private static String text(JsonNode root, String field, String def) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, but was " + n);
        }
        return n.asText();
    }

    /** Accepts {@code "channels": [names]} or {@code "schema": {"channels": [{"name": ...}]}}. */
    private static List<String> channels(JsonNode root) {
        JsonNode arr = root.get("channels");
        if (arr == null && root.path("schema").isObject()) {
            arr = root.path("schema").get("channels");
        }
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("channels must be an array of channel names, but was " + arr);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : arr) {
            JsonNode name = n.isObject() ? n.get("name") : n;
            if (name == null || !name.isTextual()) {
                throw new IllegalArgumentException("channels must hold names, but held " + n);
            }
            out.add(name.asText());
        }
        return out;
    }

    private static Scaler scaler(JsonNode n) {
        if (n == null || n.isNull()) {
            return Scaler.none();
        }
        String type = n.path("type").asText("");
        return switch (type.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "none" -> Scaler.none();
            case "min_max", "minmax" -> Scaler.minMax(doubles(n, "min"), doubles(n, "max"));
            case "z_score", "zscore", "standard" -> Scaler.zScore(doubles(n, "mean"), doubles(n, "std"));
            default -> throw new IllegalArgumentException("scaler.type must be none, min_max or z_score, but was '"
                    + type + "'");
        };
    }

    private static double[] doubles(JsonNode scaler, String field) {
        JsonNode a = scaler.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("scaler." + field + " must be an array of numbers, but was " + a);
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException("scaler." + field + "[" + i + "] must be a number, but was " + a.get(i));
            }
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    /** The {@code "features"} block, in the field names the PyTorch LSTM's own model.json uses. */
    private static Optional<DerivedFeatures> features(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("features must be an object, but was " + n);
        }
        List<String> channels = channels(n);
        return Optional.of(new DerivedFeatures(channels, bool(n, "vibrationMagnitude"), bool(n, "electricalPower"),
                integer(n, "rollingWindow"), integer(n, "slopeWindow"), number(n, "smoothing"), floats(n, "offset"),
                floats(n, "factor")));
    }

    /** The {@code "anomaly"} block of a reconstruction output. */
    private static Optional<AnomalyCalibration> anomaly(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        JsonNode t = n.get("threshold");
        JsonNode m = n.get("healthy_median");
        if (t == null || !t.isNumber() || m == null || !m.isNumber()) {
            throw new IllegalArgumentException("anomaly must hold numbers threshold and healthy_median, but was " + n);
        }
        return Optional.of(new AnomalyCalibration(t.asDouble(), m.asDouble()));
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && !v.isBoolean()) {
            throw new IllegalArgumentException("features." + field + " must be true or false, but was " + v);
        }
        return v != null && v.asBoolean();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && !v.isIntegralNumber()) {
            throw new IllegalArgumentException("features." + field + " must be an integer, but was " + v);
        }
        return v == null ? 0 : v.intValue();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && !v.isNumber()) {
            throw new IllegalArgumentException("features." + field + " must be a number, but was " + v);
        }
        return v == null ? 0 : v.doubleValue();
    }

    private static float[] floats(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("features." + field + " must be an array of numbers, but was " + a);
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException("features." + field + "[" + i + "] must be a number, but was " + a.get(i));
            }
            out[i] = a.get(i).floatValue();
        }
        return out;
    }

    private static RiskThresholds thresholds(JsonNode n) {
        if (n == null || n.isNull()) {
            return RiskThresholds.DEFAULT;
        }
        RiskThresholds d = RiskThresholds.DEFAULT;
        String level = n.hasNonNull("maintenance_level") ? n.get("maintenance_level").asText() : "high";
        RiskLevel l;
        try {
            l = RiskLevel.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("thresholds.maintenance_level must be medium, high or critical, but was '"
                    + level + "'", e);
        }
        return new RiskThresholds(num(n, "medium", d.medium()), num(n, "high", d.high()),
                num(n, "critical", d.critical()), num(n, "decision", d.decision()), l);
    }

    /** Sidecars from before calibration, and Keras ones without it, have none: the identity. */
    private static PlattScaling calibration(JsonNode n) {
        if (n == null || n.isNull()) {
            return PlattScaling.IDENTITY;
        }
        String method = n.path("method").asText("");
        if (!method.equals("platt")) {
            throw new IllegalArgumentException("calibration.method must be 'platt', but was '" + method + "'");
        }
        JsonNode a = n.get("a");
        JsonNode b = n.get("b");
        if (a == null || !a.isNumber() || b == null || !b.isNumber()) {
            throw new IllegalArgumentException("calibration needs numbers a and b, but had a " + a + ", b " + b);
        }
        return new PlattScaling(a.asDouble(), b.asDouble());
    }

    private static double num(JsonNode n, String field, double def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("thresholds." + field + " must be a number, but was " + v);
        }
        return v.asDouble();
    }
}
