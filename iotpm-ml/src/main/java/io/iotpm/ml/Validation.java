package io.iotpm.ml;

import io.iotpm.ml.LstmPredictor.Task;
import io.iotpm.ml.network.PlattScaling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step after the epochs, on the validation devices' windows: fit the calibration, choose the
 * decision threshold on the calibrated probability, and measure the validation metrics.
 */
final class Validation {

    /**
     * @param threshold   the decision threshold on the calibrated probability (for an RUL model, the
     *                    calibrated probability at {@code rul = horizon})
     * @param calibration the fitted Platt scaling, or the identity
     * @param metrics     validation metrics by name (NaN ones left out)
     */
    record Result(double threshold, PlattScaling calibration, Map<String, Double> metrics) {
    }

    private Validation() {
    }

    /**
     * @param cfg         the settings
     * @param provisional the trained network, uncalibrated
     * @param xVal        the scaled validation windows
     * @param valW        the validation windows (may be empty: then nothing is fitted or measured)
     */
    static Result run(LstmConfig cfg, LstmModel provisional, float[] xVal, List<Windows.Window> valW) {
        boolean regression = cfg.task() == Task.RUL_REGRESSION;
        double threshold = cfg.decisionThreshold() != null && !regression ? cfg.decisionThreshold() : 0.5;
        PlattScaling calibration = PlattScaling.IDENTITY;
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (!valW.isEmpty()) {
            boolean[] actual = LstmTraining.labels(valW);
            if (cfg.calibrationOrNone() == LstmPredictor.Calibration.PLATT) {
                calibration = PlattScaling.fit(provisional.scores(xVal, valW.size()), actual);
            }
            double[] out = provisional.withValidation(threshold, calibration, Map.of(), null)
                    .forwardScaled(xVal, valW.size());
            if (regression) {
                RegressionMetrics rm = Evaluation.regression(valW.stream().mapToDouble(Windows.Window::rul).toArray(),
                        out);
                metrics.put("rmse", rm.rmse());
                metrics.put("mae", rm.mae());
                metrics.put("r2", rm.r2());
                metrics.put("nasa_score", rm.nasaScore());
                double[] p = new double[out.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = calibration.probability(cfg.rulScore(out[i]));
                }
                metrics.put("brier", Evaluation.brier(actual, p));
            } else {
                if (cfg.decisionThreshold() == null) {
                    threshold = Evaluation.bestF1Threshold(actual, out);
                }
                ClassificationMetrics cm = Evaluation.classification(actual, out, threshold);
                metrics.put("accuracy", cm.accuracy());
                metrics.put("precision", cm.precision());
                metrics.put("recall", cm.recall());
                metrics.put("f1", cm.f1());
                metrics.put("roc_auc", cm.rocAuc());
                metrics.put("pr_auc", cm.prAuc());
                metrics.put("brier", cm.brierScore());
            }
        }
        if (regression) {
            // maintenanceNeeded is rul <= horizon: in probability, from the calibrated value at the horizon on.
            threshold = calibration.probability(0);
        }
        metrics.values().removeIf(v -> Double.isNaN(v));
        return new Result(threshold, calibration, metrics);
    }
}
