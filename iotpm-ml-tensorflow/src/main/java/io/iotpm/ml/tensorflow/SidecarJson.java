package io.iotpm.ml.tensorflow;

import io.iotpm.core.RiskLevel;

import io.iotpm.ml.anomaly.AnomalyCalibration;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.PlattScaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code model.json} text of a {@link ModelSidecar}: reads it field by field, naming a bad one, and writes it. */
final class SidecarJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SidecarJson() {
    }

    /** See {@link ModelSidecar#parse(String)}. */
    static ModelSidecar parse(String json) {
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
        String signature = text(root, "signature", ModelSidecar.DEFAULT_SIGNATURE);
        Optional<String> input = Optional.ofNullable(text(root, "input", null));
        Optional<String> output = Optional.ofNullable(text(root, "output", null));
        String kind = text(root, "output_kind", "probability");
        ModelSidecar.OutputKind outputKind;
        try {
            outputKind = ModelSidecar.OutputKind.valueOf(kind.toUpperCase(Locale.ROOT));
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

    /** See {@link ModelSidecar#toJson()}. */
    static String write(ModelSidecar s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "iotpm-savedmodel/1");
        root.put("model_version", s.modelVersion());
        ArrayNode ch = root.putArray("channels");
        s.channels().forEach(ch::add);
        root.put("sequence_length", s.sequenceLength());
        if (s.minHistory() < s.sequenceLength()) {
            root.put("min_history", s.minHistory());
        }
        ObjectNode sc = root.putObject("scaler");
        switch (s.scaler().kind()) {
            case NONE -> sc.put("type", "none");
            case MIN_MAX -> {
                sc.put("type", "min_max");
                addAll(sc.putArray("min"), s.scaler().first());
                addAll(sc.putArray("max"), s.scaler().second());
            }
            case Z_SCORE -> {
                sc.put("type", "z_score");
                addAll(sc.putArray("mean"), s.scaler().first());
                addAll(sc.putArray("std"), s.scaler().second());
            }
        }
        ObjectNode th = root.putObject("thresholds");
        th.put("medium", s.thresholds().medium());
        th.put("high", s.thresholds().high());
        th.put("critical", s.thresholds().critical());
        th.put("decision", s.thresholds().decision());
        th.put("maintenance_level", s.thresholds().maintenanceLevel().name().toLowerCase(Locale.ROOT));
        if (!s.calibration().equals(PlattScaling.IDENTITY)) {
            ObjectNode cal = root.putObject("calibration");
            cal.put("method", "platt");
            cal.put("a", s.calibration().a());
            cal.put("b", s.calibration().b());
        }
        root.put("signature", s.signature());
        s.input().ifPresent(v -> root.put("input", v));
        s.output().ifPresent(v -> root.put("output", v));
        root.put("output_kind", s.outputKind().name().toLowerCase(Locale.ROOT));
        if (s.outputKind() == ModelSidecar.OutputKind.RUL) {
            root.put("horizon", s.horizon());
        }
        s.anomaly().ifPresent(a -> {
            ObjectNode an = root.putObject("anomaly");
            an.put("threshold", a.threshold());
            an.put("healthy_median", a.healthyMedian());
        });
        s.features().ifPresent(f -> {
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
