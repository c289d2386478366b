package io.iotpm.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;
import io.iotpm.ml.network.LstmWeights;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The network as DJL blocks: one single-layer {@link LSTM} block per configured layer (so layers
 * may differ in size and map one-to-one onto {@link LstmWeights}), dropout between them, the last
 * time step, optional ReLU dense layers and a one-unit linear output (a logit, or a scaled RUL).
 *
 * <p>With the PyTorch engine an LSTM block's parameters are {@code l_0_i2h_WEIGHT [4H, in]},
 * {@code l_0_h2h_WEIGHT [4H, H]}, {@code l_0_i2h_BIAS}, {@code l_0_h2h_BIAS} in PyTorch's gate order
 * (i, f, g, o): exactly {@link LstmWeights.LstmLayer}. {@code LstmWeightsTest} checks it.
 */
final class Network {

    private final int inputSize;
    private final int[] lstm;
    private final int[] dense;
    private final float dropout;

    Network(int inputSize, int[] lstm, int[] dense, double dropout) {
        this.inputSize = inputSize;
        this.lstm = lstm.clone();
        this.dense = dense.clone();
        this.dropout = (float) dropout;
    }

    /** @return a new, uninitialised block */
    SequentialBlock block() {
        SequentialBlock b = new SequentialBlock();
        for (int h : lstm) {
            b.add(LSTM.builder().setStateSize(h).setNumLayers(1).optBatchFirst(true).optReturnState(false).build());
            if (dropout > 0) {
                b.add(Dropout.builder().optRate(dropout).build());
            }
        }
        // [N, T, H] -> [N, H]: only the last time step feeds the head.
        b.add(new LambdaBlock(Network::lastStep, "lastStep"));
        for (int d : dense) {
            b.add(Linear.builder().setUnits(d).build());
            b.add(Activation.reluBlock());
            if (dropout > 0) {
                b.add(Dropout.builder().optRate(dropout).build());
            }
        }
        b.add(Linear.builder().setUnits(1).build());
        return b;
    }

    private static NDList lastStep(NDList in) {
        NDArray x = in.singletonOrThrow();
        long t = x.getShape().get(1);
        return new NDList(x.get(":, " + (t - 1) + ", :"));
    }

    /** Initialises the block's parameters on {@code manager} for windows of {@code sequenceLength}. */
    void initialize(Block block, NDManager manager, int sequenceLength) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1, sequenceLength, inputSize));
    }

    /**
     * Overwrites every parameter with values drawn from {@code seed}, so the initial network does not
     * depend on the engine's process-global random generator: LSTM weights and biases uniform in
     * {@code ±1/sqrt(H)} (PyTorch's default), dense weights Xavier-uniform, dense biases zero, and the
     * forget-gate bias of the input-to-hidden side at 1 (helps long windows remember).
     */
    void randomize(Block block, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            Shape s = a.getShape();
            float[] v = new float[(int) s.size()];
            String name = p.getKey();
            if (name.contains("i2h") || name.contains("h2h")) {
                long h4 = s.get(0);
                double k = 1 / Math.sqrt(h4 / 4.0);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rnd.nextDouble() * 2 - 1) * k);
                }
                if (name.endsWith("i2h_BIAS")) {
                    int h = (int) (h4 / 4);
                    for (int i = h; i < 2 * h; i++) {
                        v[i] = 1f;
                    }
                }
            } else if (name.endsWith("weight")) {
                double limit = Math.sqrt(6.0 / (s.get(0) + s.get(1)));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
                }
            }
            a.set(v);
        }
    }

    /**
     * Reads the block's parameters as {@link LstmWeights}; the output layer's affine map {@code z} becomes
     * {@code outputScale · z + outputShift} with {@code outputActivation}, so that the weights compute the
     * predictor's output (calibrated probability, or RUL in steps) directly.
     */
    LstmWeights weights(Block block, double outputScale, double outputShift, LstmWeights.Activation outputActivation) {
        List<float[]> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            arrays.add(p.getValue().getArray().toFloatArray());
        }
        int i = 0;
        List<LstmWeights.LstmLayer> layers = new ArrayList<>();
        for (int h : lstm) {
            layers.add(new LstmWeights.LstmLayer(h, arrays.get(i), arrays.get(i + 1), arrays.get(i + 2), arrays.get(i + 3)));
            i += 4;
        }
        List<LstmWeights.DenseLayer> heads = new ArrayList<>();
        for (int d : dense) {
            heads.add(new LstmWeights.DenseLayer(d, arrays.get(i), arrays.get(i + 1), LstmWeights.Activation.RELU));
            i += 2;
        }
        float[] w = arrays.get(i).clone();
        float[] b = arrays.get(i + 1).clone();
        for (int k = 0; k < w.length; k++) {
            w[k] *= (float) outputScale;
        }
        b[0] = (float) (b[0] * outputScale + outputShift);
        heads.add(new LstmWeights.DenseLayer(1, w, b, outputActivation));
        return new LstmWeights(inputSize, layers, heads);
    }
}
