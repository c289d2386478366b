package io.iotpm.ml.anomaly;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The autoencoder as DJL blocks: an encoder LSTM reads the window, its last hidden state is repeated
 * for every time step, a decoder LSTM unrolls it and a linear layer per step maps back to the
 * features ({@code [N, T, F] -> [N, T, F]}). The bottleneck is the single hidden vector, so the
 * network can only reconstruct the patterns it saw often: those of normal operation.
 *
 * <p>Parameters, in order: encoder {@code i2h/h2h} weights and biases, decoder ditto (PyTorch gate
 * order i, f, g, o), output weight {@code [F, H]} and bias {@code [F]}.
 */
final class AutoencoderNetwork {

    private final int features;
    private final int hidden;
    private final int steps;

    AutoencoderNetwork(int features, int hidden, int steps) {
        this.features = features;
        this.hidden = hidden;
        this.steps = steps;
    }

    /** @return a new, uninitialised block */
    SequentialBlock block() {
        SequentialBlock b = new SequentialBlock();
        b.add(lstm());
        int t = steps;
        b.add(new LambdaBlock(in -> repeatLast(in, t), "repeatLast"));
        b.add(lstm());
        b.add(Linear.builder().setUnits(features).build());
        return b;
    }

    private LSTM lstm() {
        return LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build();
    }

    private static NDList repeatLast(NDList in, int steps) {
        NDArray x = in.singletonOrThrow();
        long t = x.getShape().get(1);
        return new NDList(x.get(":, " + (t - 1) + ", :").expandDims(1).repeat(1, steps));
    }

    /** @return the input shape for windows of {@code n} */
    Shape inputShape(int n) {
        return new Shape(n, steps, features);
    }

    /**
     * Overwrites every parameter with values drawn from {@code seed}, so the initial network does not
     * depend on the engine's random generator: LSTM weights and biases uniform in {@code ±1/sqrt(H)}
     * (PyTorch's default) with the input-side forget-gate bias at 1, the output weight Xavier-uniform,
     * its bias zero.
     */
    void randomize(Block block, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            Shape s = a.getShape();
            float[] v = new float[(int) s.size()];
            String name = p.getKey();
            boolean recurrent = name.contains("i2h") || name.contains("h2h");
            double limit = recurrent ? 1 / Math.sqrt(hidden)
                    : name.endsWith("weight") ? Math.sqrt(6.0 / (s.get(0) + s.get(1))) : 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
            }
            if (name.endsWith("i2h_BIAS")) {
                for (int i = hidden; i < 2 * hidden; i++) {
                    v[i] = 1f;
                }
            }
            a.set(v);
        }
    }

    /** @return every parameter as a float array, in block order (see the class comment) */
    static List<float[]> parameters(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
