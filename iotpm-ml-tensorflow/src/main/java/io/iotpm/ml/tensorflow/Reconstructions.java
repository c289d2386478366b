package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.anomaly.AnomalyCalibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions from an autoencoder's output ({@link ModelSidecar.OutputKind#RECONSTRUCTION}): the
 * score is the mean squared difference between the scaled input and its reconstruction, and each
 * channel's share of {@code score / threshold} is its contribution, the way {@code AnomalyDetector}
 * reports them, so the same model gives the same predictions on either engine.
 */
final class Reconstructions {

    private Reconstructions() {
    }

    static List<Prediction> predictions(ModelSidecar side, List<DeviceWindow> windows, float[] input, float[] output,
                                        int features) {
        AnomalyCalibration cal = side.anomaly().orElseThrow();
        int steps = side.sequenceLength();
        List<Prediction> out = new ArrayList<>(windows.size());
        double[] err = new double[features];
        for (int w = 0; w < windows.size(); w++) {
            Arrays.fill(err, 0);
            int base = w * steps * features;
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < features; c++) {
                    int i = base + t * features + c;
                    double d = (double) output[i] - input[i];
                    err[c] += d * d;
                }
            }
            double score = 0;
            for (int c = 0; c < features; c++) {
                err[c] /= steps;
                score += err[c];
            }
            score /= features;
            DeviceWindow dw = windows.get(w);
            if (!Double.isFinite(score)) {
                throw new IllegalStateException("model output for device '" + dw.deviceId() + "' is not finite");
            }
            double p = cal.probability(score);
            boolean anomalous = cal.anomalous(score);
            RiskThresholds t = side.thresholds();
            RiskLevel risk = anomalous ? (p >= t.critical() ? RiskLevel.CRITICAL : RiskLevel.HIGH)
                    : (p >= t.medium() ? RiskLevel.MEDIUM : RiskLevel.LOW);
            SensorReading last = dw.readings().get(dw.readings().size() - 1);
            out.add(new Prediction(dw.deviceId(), last.timestamp(), p, risk, anomalous, Double.NaN,
                    side.modelVersion(), contributions(side.channels(), err, features * cal.threshold())));
        }
        return out;
    }

    private static Map<String, Double> contributions(List<String> channels, double[] err, double scale) {
        Integer[] order = new Integer[err.length];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> Double.compare(err[b], err[a]));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c : order) {
            out.put(channels.get(c), err[c] / scale);
        }
        return out;
    }
}
