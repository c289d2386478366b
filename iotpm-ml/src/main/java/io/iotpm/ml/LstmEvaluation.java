package io.iotpm.ml;

import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Scores a trained {@link LstmPredictor} on labelled data: every window its settings would cut,
 * labelled from the events, run through the model once. An RUL model is scored as a classifier
 * through its failure score, which is 0.5 at the horizon.
 */
final class LstmEvaluation {

    private LstmEvaluation() {
    }

    /** Runs the model over {@code n} raw windows, {@code sequenceLength × channels} values each. */
    @FunctionalInterface
    interface Forward {
        double[] apply(double[] raw, int n);
    }

    /** The windows and the model's output (probability or RUL) for each. */
    record Labelled(List<Windows.Window> windows, double[] outputs) {
        boolean[] actual() {
            boolean[] actual = new boolean[windows.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = windows.get(i).label();
            }
            return actual;
        }
    }

    static Labelled labelled(LstmConfig config, SensorSchema schema, TrainingSet data, boolean needRul,
                             Forward forward) {
        if (!data.schema().equals(schema)) {
            throw new IllegalArgumentException("data has schema '" + data.schema().name() + "', but the model expects '"
                    + schema.name() + "'");
        }
        List<Windows.Window> ws = new ArrayList<>();
        for (TrainingSet.Series s : data.series()) {
            ws.addAll(Windows.cut(s, config, needRul));
        }
        if (ws.isEmpty()) {
            throw new IllegalArgumentException("the data yields no labelled window of " + config.sequenceLength()
                    + " readings");
        }
        int len = config.sequenceLength();
        int c = schema.size();
        double[] raw = new double[ws.size() * len * c];
        for (int i = 0; i < ws.size(); i++) {
            Windows.Window w = ws.get(i);
            Windows.copyPadded(w.series().values(), c, w.end(), len, raw, i * len * c);
        }
        return new Labelled(ws, forward.apply(raw, ws.size()));
    }

    static ClassificationMetrics classification(LstmConfig config, Labelled l, double threshold,
                                                DoubleUnaryOperator rulProbability) {
        if (config.task() == Task.RUL_REGRESSION) {
            // The decision of an RUL model, rul <= horizon, is its probability at rul = horizon or above.
            return Evaluation.classification(l.actual(), scores(config, l, rulProbability),
                    rulProbability.applyAsDouble(config.horizon()));
        }
        return Evaluation.classification(l.actual(), l.outputs(), threshold);
    }

    static List<RocPoint> rocCurve(LstmConfig config, Labelled l, int maxPoints, DoubleUnaryOperator rulProbability) {
        return Evaluation.rocCurve(l.actual(), scores(config, l, rulProbability), maxPoints);
    }

    static RegressionMetrics regression(Labelled l) {
        double[] actual = l.windows().stream().mapToDouble(Windows.Window::rul).toArray();
        return Evaluation.regression(actual, l.outputs());
    }

    /** Failure scores: the outputs of a classifier, the RUL turned into a score for an RUL model. */
    private static double[] scores(LstmConfig config, Labelled l, DoubleUnaryOperator rulProbability) {
        double[] p = l.outputs();
        return config.task() == Task.RUL_REGRESSION ? Arrays.stream(p).map(rulProbability).toArray() : p;
    }
}
