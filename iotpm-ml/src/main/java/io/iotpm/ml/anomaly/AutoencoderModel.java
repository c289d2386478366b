package io.iotpm.ml.anomaly;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.ml.TrainingReport;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmWeights;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained state of an {@link AnomalyDetector}: z-scored raw channels, the network on its own
 * native manager, the threshold and the calibration of the probability. Forward passes take no
 * lock: the detector's lock keeps {@link #manager()} open while they run.
 *
 * @param calibration the threshold and the probability it gives scores
 */
record AutoencoderModel(AutoencoderConfig config, FeaturePipeline pipeline, NDManager manager, SequentialBlock block,
                        byte[] parameters, AnomalyCalibration calibration, String version,
                        Map<String, Double> metrics, TrainingReport report) {

    static final String ENGINE = "PyTorch";
    private static final int MAX_FORWARD_BATCH = 2048;

    /** Builds the inference state from serialized DJL parameters. */
    static AutoencoderModel inference(AutoencoderConfig config, FeaturePipeline pipeline, byte[] params,
                                      double threshold, double healthyMedian, Map<String, Double> metrics,
                                      TrainingReport report) {
        AutoencoderNetwork net = new AutoencoderNetwork(pipeline.featureCount(), config.hiddenSize(),
                config.sequenceLength());
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            SequentialBlock block = net.block();
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            block.freezeParameters(true);
            String version = "ae-" + HexFormat.of().formatHex(sha256(params)).substring(0, 12);
            return new AutoencoderModel(config, pipeline, manager, block, params,
                    new AnomalyCalibration(threshold, healthyMedian), version, Map.copyOf(metrics), report);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("model parameters do not fit the autoencoder ("
                    + pipeline.featureCount() + " features, " + config.hiddenSize() + " hidden units): "
                    + e.getMessage(), e);
        }
    }

    double threshold() {
        return calibration.threshold();
    }

    double healthyMedian() {
        return calibration.healthyMedian();
    }

    /**
     * Per-channel mean squared reconstruction errors of {@code n} raw windows.
     *
     * @param raw {@code n × T × C} raw values
     * @return {@code n × F}, row-major (F = the model's channels)
     */
    float[] errorsRaw(double[] raw, int n) {
        int len = config.sequenceLength();
        int c = pipeline.schema().size();
        int f = pipeline.featureCount();
        float[] x = new float[n * len * f];
        double[] one = new double[len * c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(raw, i * len * c, one, 0, len * c);
            pipeline.unscaled(one, len, x, i * len * f);
        }
        pipeline.scale(x, 0, n * len);
        return errorsScaled(x, n);
    }

    /** Per-channel mean squared errors of {@code n} scaled windows, {@code n × F}, in chunks. */
    float[] errorsScaled(float[] x, int n) {
        int len = config.sequenceLength();
        int f = pipeline.featureCount();
        float[] out = new float[n * f];
        for (int from = 0; from < n; from += MAX_FORWARD_BATCH) {
            int m = Math.min(MAX_FORWARD_BATCH, n - from);
            try (NDManager sub = manager.newSubManager()) {
                NDArray in = sub.create(Arrays.copyOfRange(x, from * len * f, (from + m) * len * f), new Shape(m, len, f));
                NDArray y = block.forward(new ParameterStore(sub, false), new NDList(in), false).singletonOrThrow();
                System.arraycopy(y.sub(in).square().mean(new int[] {1}).toFloatArray(), 0, out, from * f, m * f);
            }
        }
        return out;
    }

    /** The mean of the {@code f} per-channel errors starting at {@code at}: the window's score. */
    static double score(float[] errors, int at, int f) {
        double s = 0;
        for (int j = 0; j < f; j++) {
            s += errors[at + j];
        }
        return s / f;
    }

    /** Channel name to its share of score/threshold, largest first. */
    Map<String, Double> contributions(float[] errors, int at) {
        int f = pipeline.featureCount();
        Integer[] order = new Integer[f];
        for (int j = 0; j < f; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Float.compare(errors[at + b], errors[at + a]));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j : order) {
            out.put(pipeline.featureNames().get(j), errors[at + j] / (f * threshold()));
        }
        return out;
    }

    AnomalyScore anomalyScore(String deviceId, SensorReading last, float[] errors, int at) {
        return new AnomalyScore(deviceId, last.timestamp(), score(errors, at, pipeline.featureCount()), threshold(),
                contributions(errors, at));
    }

    Prediction prediction(AnomalyScore s) {
        double p = calibration.probability(s.score());
        boolean anomalous = s.anomalous();
        return new Prediction(s.deviceId(), s.timestamp(), p, config.risk(p, anomalous), anomalous, Double.NaN,
                version, s.contributions());
    }

    /** The engine-neutral form (see {@link AutoencoderWeights}). */
    AutoencoderWeights describe() {
        List<float[]> a = AutoencoderNetwork.parameters(block);
        int h = config.hiddenSize();
        FeaturePipeline p = pipeline;
        DerivedFeatures features = new DerivedFeatures(p.featureNames(), false, false, 0, 0, p.offset(), p.factor());
        return new AutoencoderWeights(version, p.schema(), config.sequenceLength(), features,
                new LstmWeights.LstmLayer(h, a.get(0), a.get(1), a.get(2), a.get(3)),
                new LstmWeights.LstmLayer(h, a.get(4), a.get(5), a.get(6), a.get(7)), a.get(8), a.get(9),
                calibration, config.mediumRisk(), config.criticalRisk());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
