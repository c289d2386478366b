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

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The trained state of an {@link LstmPredictor}: features, the network on its own native manager,
 * the decision threshold and the validation results. Its forward passes take no lock: the predictor's
 * lock keeps {@link #manager()} open while they run.
 */
record LstmModel(LstmConfig config, FeaturePipeline pipeline, NDManager manager, Block block, Network network,
                 byte[] parameters, double outputScale, double threshold, String version, Map<String, Double> metrics,
                 TrainingReport report) {

    static final String ENGINE = "PyTorch";
    private static final int MAX_FORWARD_BATCH = 4096;

    /** Builds the inference state from serialized DJL parameters. */
    static LstmModel inference(LstmConfig config, FeaturePipeline pipeline, byte[] params, double outputScale,
                               double threshold, Map<String, Double> metrics, TrainingReport report) {
        Network net = network(config, pipeline.featureCount());
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            SequentialBlock block = net.block();
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            block.freezeParameters(true);
            String version = "lstm-" + HexFormat.of().formatHex(ModelFiles.sha256(params)).substring(0, 12);
            return new LstmModel(config, pipeline, manager, block, net, params, outputScale, threshold, version,
                    Map.copyOf(metrics), report);
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

    /** The same network with the threshold, metrics and report of its training. */
    LstmModel withValidation(double threshold, Map<String, Double> metrics, TrainingReport report) {
        return new LstmModel(config, pipeline, manager, block, network, parameters, outputScale, threshold, version,
                Map.copyOf(metrics), report);
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

    /** One forward pass of {@code n} scaled windows; returns probability or RUL in steps. */
    double[] forwardScaled(float[] x, int n) {
        float[] y;
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(n, config.sequenceLength(), pipeline.featureCount()));
            y = block.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow().toFloatArray();
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = config.task() == Task.CLASSIFICATION
                    ? 1 / (1 + Math.exp(-y[i]))
                    : Math.max(0, y[i] * outputScale);
        }
        return out;
    }

    /** The engine-neutral form: weights with the output head folded in, feature recipe, thresholds. */
    LstmNetwork describe(SensorSchema schema) {
        boolean classifier = config.task() == Task.CLASSIFICATION;
        LstmWeights w = network.weights(block, classifier ? 1 : outputScale,
                classifier ? LstmWeights.Activation.SIGMOID : LstmWeights.Activation.RELU);
        FeaturePipeline p = pipeline;
        DerivedFeatures features = new DerivedFeatures(
                Arrays.stream(p.channels()).mapToObj(schema::channelName).toList(),
                p.vibrationMagnitude(), p.electricalPower(), p.rollingWindow(), p.slopeWindow(), p.offset(),
                p.factor());
        return new LstmNetwork(version, schema, config.sequenceLength(), p.featureNames(), features, w,
                !classifier, config.horizon(), config.riskThresholds(), threshold);
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
            p = config.rulProbability(rul);
            needed = rul <= config.horizon();
        }
        return new Prediction(deviceId, last.timestamp(), p, config.risk(p), needed, rul, version);
    }
}
