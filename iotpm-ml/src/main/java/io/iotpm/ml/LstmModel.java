package io.iotpm.ml;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.LstmPredictor.Task;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.LstmWeights;
import io.iotpm.ml.network.PlattScaling;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The trained state of an {@link LstmPredictor}: features, the network on its own native manager,
 * the decision threshold and the validation results. Its forward passes take no lock: the predictor's
 * lock keeps {@link #manager()} open while they run.
 */
record LstmModel(LstmConfig config, FeaturePipeline pipeline, NDManager manager, Block block, Network network,
                 byte[] parameters, double outputScale, double threshold, PlattScaling calibration, String version,
                 Map<String, Double> metrics, TrainingReport report) {

    static final String ENGINE = "PyTorch";
    private static final int MAX_FORWARD_BATCH = 4096;

    /** Builds the inference state from serialized DJL parameters. */
    static LstmModel inference(LstmConfig config, FeaturePipeline pipeline, byte[] params, double outputScale,
                               double threshold, PlattScaling calibration, Map<String, Double> metrics,
                               TrainingReport report) {
        Network net = network(config, pipeline.featureCount());
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            SequentialBlock block = net.block();
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            block.freezeParameters(true);
            String version = "lstm-" + HexFormat.of().formatHex(ModelFiles.sha256(params)).substring(0, 12);
            return new LstmModel(config, pipeline, manager, block, net, params, outputScale, threshold, calibration,
                    version, Map.copyOf(metrics), report);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("model parameters do not fit the configured network ("
                    + pipeline.featureCount() + " features, layers " + Arrays.toString(config.layers()) + "): "
                    + e.getMessage(), e);
        }
    }

    static Network network(LstmConfig config, int features) {
        return new Network(features, config.layers(), config.denseLayers(), config.dropout());
    }

    /** The same network with the threshold, calibration, metrics and report of its training. */
    LstmModel withValidation(double threshold, PlattScaling calibration, Map<String, Double> metrics,
                             TrainingReport report) {
        return new LstmModel(config, pipeline, manager, block, network, parameters, outputScale, threshold, calibration,
                version, Map.copyOf(metrics), report);
    }

    /**
     * The risk scale of this model: the configured thresholds with the maintenance level starting at
     * the decision probability (a classifier's threshold; for an RUL model the calibrated probability
     * at {@code rul = horizon}).
     */
    RiskScale riskScale() {
        double decision = config.task() == Task.CLASSIFICATION ? threshold : calibration.probability(0);
        return config.riskScale().around(Math.min(1, Math.max(0, decision)));
    }

    /** Features, scaling and one forward pass (in chunks) for {@code n} raw windows; returns probability or RUL. */
    double[] forwardRaw(double[] raw, int n) {
        int len = config.sequenceLength();
        int c = pipeline.schema().size();
        int f = pipeline.featureCount();
        double[] out = new double[n];
        for (int from = 0; from < n; from += MAX_FORWARD_BATCH) {
            int m = Math.min(MAX_FORWARD_BATCH, n - from);
            float[] x = new float[m * len * f];
            for (int i = 0; i < m; i++) {
                double[] one = Arrays.copyOfRange(raw, (from + i) * len * c, (from + i + 1) * len * c);
                pipeline.unscaled(one, len, x, i * len * f);
            }
            pipeline.scale(x, 0, m * len);
            double[] y = forwardScaled(x, m);
            System.arraycopy(y, 0, out, from, m);
        }
        return out;
    }

    /** One forward pass of {@code n} scaled windows; returns the calibrated probability or the RUL in steps. */
    double[] forwardScaled(float[] x, int n) {
        float[] y = network(x, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = config.task() == Task.CLASSIFICATION ? calibration.probability(y[i]) : rul(y[i]);
        }
        return out;
    }

    /**
     * What calibration sees for {@code n} scaled windows: a classifier's logit, or an RUL model's
     * failure score (see {@link LstmConfig#rulScore}).
     */
    double[] scores(float[] x, int n) {
        float[] y = network(x, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = config.task() == Task.CLASSIFICATION ? y[i] : config.rulScore(rul(y[i]));
        }
        return out;
    }

    /**
     * The network's output in steps, within [0, cap] when the model was trained with an RUL cap: the
     * targets never exceed the cap, so an estimate above it only means "at least the cap", and keeping
     * it there can only bring it closer to a capped truth.
     */
    private double rul(float y) {
        double r = Math.max(0, y * outputScale);
        return config.rulCap() > 0 ? Math.min(config.rulCap(), r) : r;
    }

    private float[] network(float[] x, int n) {
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(n, config.sequenceLength(), pipeline.featureCount()));
            return block.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow().toFloatArray();
        }
    }

    /**
     * Appends the cap of {@link #rul(float)} to the weights as two one-unit layers, {@code min(c, r) =
     * c - relu(c - r)} for {@code r >= 0}, so every runtime of the weights (the engine-neutral network, the
     * TensorFlow export) clips as this model does without a new kind of layer.
     */
    private LstmWeights capped(LstmWeights w) {
        if (config.rulCap() <= 0) {
            return w;
        }
        float c = (float) config.rulCap();
        List<LstmWeights.DenseLayer> dense = new ArrayList<>(w.dense());
        dense.add(new LstmWeights.DenseLayer(1, new float[] {-1f}, new float[] {c}, LstmWeights.Activation.RELU));
        dense.add(new LstmWeights.DenseLayer(1, new float[] {-1f}, new float[] {c}, LstmWeights.Activation.IDENTITY));
        return new LstmWeights(w.inputSize(), w.lstm(), dense);
    }

    /** The engine-neutral form: weights with the output head folded in, feature recipe, thresholds. */
    LstmNetwork describe(SensorSchema schema) {
        boolean classifier = config.task() == Task.CLASSIFICATION;
        LstmWeights w = classifier
                ? network.weights(block, 1, 0, LstmWeights.Activation.IDENTITY)
                : capped(network.weights(block, outputScale, 0, LstmWeights.Activation.RELU));
        FeaturePipeline p = pipeline;
        DerivedFeatures features = new DerivedFeatures(
                Arrays.stream(p.channels()).mapToObj(schema::channelName).toList(),
                p.vibrationMagnitude(), p.electricalPower(), p.rollingWindow(), p.slopeWindow(), p.smoothing(), p.offset(),
                p.factor());
        RiskScale r = riskScale();
        return new LstmNetwork(version, schema, config.sequenceLength(), p.featureNames(), features, w,
                !classifier, config.horizon(), new double[] {r.medium(), r.high(), r.critical()}, threshold,
                calibration, r.maintenanceLevel(), config.historyNeeded());
    }

    /** The prediction for a window ending with {@code last}, from the model's output for it. */
    Prediction prediction(String deviceId, SensorReading last, double out) {
        double p;
        double rul;
        boolean needed;
        if (config.task() == Task.CLASSIFICATION) {
            p = out;
            rul = Double.NaN;
            needed = p >= threshold;
        } else {
            rul = out;
            p = calibration.probability(config.rulScore(rul));
            needed = rul <= config.horizon();
        }
        return new Prediction(deviceId, last.timestamp(), p, riskScale().level(p, needed), needed, rul, version);
    }
}
