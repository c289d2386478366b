package io.iotpm.ml.internal;

import java.util.List;
import java.util.Objects;

/**
 * The trained weights of a stacked-LSTM network in an engine-neutral layout, so that one engine
 * (PyTorch, which trains) can hand them to another (TensorFlow, which serves SavedModels).
 *
 * <p>Input: a {@code [batch, time, inputSize]} float tensor of already scaled features. Each LSTM
 * layer follows PyTorch's {@code torch.nn.LSTM} conventions: gate order (input, forget, cell, output),
 * {@code gates = x·W_ih^T + b_ih + h·W_hh^T + b_hh}, matrices row-major. Only the last time step of
 * the last LSTM layer feeds the dense head; each dense layer computes {@code y = x·W^T + b} followed
 * by its activation. Dropout is a training-time device and absent here.
 *
 * @param inputSize features per time step
 * @param lstm      LSTM layers, first to last
 * @param dense     dense layers after the last LSTM output, first to last
 */
public record LstmWeights(int inputSize, List<LstmLayer> lstm, List<DenseLayer> dense) {

    /** Validates the shapes chain together. */
    public LstmWeights {
        lstm = List.copyOf(lstm);
        dense = List.copyOf(dense);
        if (lstm.isEmpty()) {
            throw new IllegalArgumentException("at least one LSTM layer is needed");
        }
        int in = inputSize;
        for (LstmLayer l : lstm) {
            l.check(in);
            in = l.hidden();
        }
        for (DenseLayer d : dense) {
            d.check(in);
            in = d.outputs();
        }
    }

    /** Activation of a dense layer. */
    public enum Activation { IDENTITY, RELU, SIGMOID, TANH }

    /**
     * One LSTM layer.
     *
     * @param hidden hidden size H
     * @param wIh    {@code [4H, in]} row-major
     * @param wHh    {@code [4H, H]} row-major
     * @param bIh    {@code [4H]}
     * @param bHh    {@code [4H]}
     */
    public record LstmLayer(int hidden, float[] wIh, float[] wHh, float[] bIh, float[] bHh) {
        /** Requires non-null arrays. */
        public LstmLayer {
            Objects.requireNonNull(wIh, "wIh");
            Objects.requireNonNull(wHh, "wHh");
            Objects.requireNonNull(bIh, "bIh");
            Objects.requireNonNull(bHh, "bHh");
        }

        void check(int in) {
            int g = 4 * hidden;
            if (wIh.length != g * in || wHh.length != g * hidden || bIh.length != g || bHh.length != g) {
                throw new IllegalArgumentException("LSTM layer with hidden " + hidden + " and input " + in
                        + " has mis-sized weights");
            }
        }
    }

    /**
     * One dense layer.
     *
     * @param outputs    output size
     * @param w          {@code [outputs, in]} row-major
     * @param b          {@code [outputs]}
     * @param activation applied after the affine map
     */
    public record DenseLayer(int outputs, float[] w, float[] b, Activation activation) {
        /** Requires non-null arrays. */
        public DenseLayer {
            Objects.requireNonNull(w, "w");
            Objects.requireNonNull(b, "b");
            Objects.requireNonNull(activation, "activation");
        }

        void check(int in) {
            if (w.length != outputs * in || b.length != outputs) {
                throw new IllegalArgumentException("dense layer " + in + " -> " + outputs + " has mis-sized weights");
            }
        }
    }
}
