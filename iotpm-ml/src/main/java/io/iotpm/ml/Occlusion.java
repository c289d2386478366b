package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor.ScalerType;
import io.iotpm.ml.LstmPredictor.Task;
import io.iotpm.ml.internal.FeaturePipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains one prediction by occlusion over channels: each raw channel the model reads is replaced,
 * over the whole window, by its typical training value (the mean for z-score scaling, the middle of
 * the training range for min-max), and the change in {@code maintenance_probability} is that
 * channel's contribution: {@code p(window) - p(window with the channel at its typical value)}.
 * Positive means the channel's readings pushed the probability up. Derived features (rolling
 * statistics, slope, vibration magnitude, power) follow their raw channel, so a channel's score
 * includes them. All occluded windows go through one forward pass with the real one.
 */
final class Occlusion {

    private Occlusion() {
    }

    /** The prediction for {@code w} with its contributions, largest magnitude first. */
    static Prediction explain(LstmModel t, SensorSchema schema, DeviceWindow w) {
        FeaturePipeline fp = t.pipeline();
        int len = t.config().sequenceLength();
        int c = schema.size();
        int[] used = fp.channels();
        int n = 1 + used.length;
        double[] raw = new double[n * len * c];
        Windows.fillRaw(schema, len, t.config().historyNeeded(), w, raw, 0);
        boolean zScore = t.config().scaler() == ScalerType.Z_SCORE;
        for (int k = 0; k < used.length; k++) {
            int at = (k + 1) * len * c;
            System.arraycopy(raw, 0, raw, at, len * c);
            // The first features are the raw channels in order, so feature k is channel used[k].
            double typical = fp.offset()[k] + (zScore || fp.factor()[k] == 0 ? 0 : 0.5 / fp.factor()[k]);
            for (int s = 0; s < len; s++) {
                raw[at + s * c + used[k]] = typical;
            }
        }
        double[] out = t.forwardRaw(raw, n);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = t.config().task() == Task.CLASSIFICATION ? out[i]
                    : t.calibration().probability(t.config().rulScore(out[i]));
        }
        List<Map.Entry<String, Double>> scores = new ArrayList<>();
        for (int k = 0; k < used.length; k++) {
            scores.add(Map.entry(schema.channelName(used[k]), p[0] - p[k + 1]));
        }
        scores.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())));
        Map<String, Double> contributions = new LinkedHashMap<>();
        scores.forEach(e -> contributions.put(e.getKey(), e.getValue()));
        Prediction plain = t.prediction(w.deviceId(), w.readings().get(w.readings().size() - 1), out[0]);
        return new Prediction(plain.deviceId(), plain.timestamp(), plain.failureProbability(), plain.riskLevel(),
                plain.maintenanceNeeded(), plain.remainingUsefulLife(), plain.modelVersion(), contributions);
    }
}
