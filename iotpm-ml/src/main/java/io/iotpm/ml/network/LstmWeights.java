package io.iotpm.ml.network;

import java.util.List;
import java.util.Objects;

/**
 * The trained weights of a stacked-LSTM network in an engine-neutral layout, so that one engine
 * (PyTorch, which trains) can hand them to another (one that serves an exported model).
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

    /**
     * Plain-Java reference forward pass: runs the LSTM stack over one window of scaled features and
     * applies the dense head. Slow (no vectorisation), meant to check an engine's output and to
     * document the layout executably.
     *
     * @param window {@code [time][inputSize]} scaled features, oldest first
     * @return the outputs of the last dense layer (or the last hidden state when there is none)
     * @throws IllegalArgumentException if a time step does not have {@code inputSize} features
     */
    public float[] forward(float[][] window) {
        float[][] seq = window;
        for (int t = 0; t < seq.length; t++) {
            if (seq[t].length != inputSize) {
                throw new IllegalArgumentException("time step " + t + " has " + seq[t].length
                        + " features, but the network expects " + inputSize);
            }
        }
        for (LstmLayer layer : lstm) {
            seq = layer.run(seq);
        }
        float[] x = seq.length == 0 ? new float[lstm.get(lstm.size() - 1).hidden()] : seq[seq.length - 1];
        for (DenseLayer d : dense) {
            x = d.apply(x);
        }
        return x;
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

        /** Runs the layer over a sequence from zero state; returns the hidden state at every step. */
        float[][] run(float[][] seq) {
            int h = hidden;
            int in = seq.length == 0 ? 0 : seq[0].length;
            float[] hPrev = new float[h];
            float[] c = new float[h];
            float[] gates = new float[4 * h];
            float[][] out = new float[seq.length][];
            for (int t = 0; t < seq.length; t++) {
                float[] x = seq[t];
                for (int r = 0; r < 4 * h; r++) {
                    double acc = bIh[r] + bHh[r];
                    int wi = r * in;
                    for (int k = 0; k < in; k++) {
                        acc += wIh[wi + k] * x[k];
                    }
                    int wh = r * h;
                    for (int k = 0; k < h; k++) {
                        acc += wHh[wh + k] * hPrev[k];
                    }
                    gates[r] = (float) acc;
                }
                float[] hNext = new float[h];
                for (int j = 0; j < h; j++) {
                    double i = sigmoid(gates[j]);
                    double f = sigmoid(gates[h + j]);
                    double g = Math.tanh(gates[2 * h + j]);
                    double o = sigmoid(gates[3 * h + j]);
                    c[j] = (float) (f * c[j] + i * g);
                    hNext[j] = (float) (o * Math.tanh(c[j]));
                }
                out[t] = hNext;
                hPrev = hNext;
            }
            return out;
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

        /** Applies {@code activation(x·W^T + b)}. */
        float[] apply(float[] x) {
            int in = x.length;
            float[] y = new float[outputs];
            for (int o = 0; o < outputs; o++) {
                double acc = b[o];
                for (int k = 0; k < in; k++) {
                    acc += w[o * in + k] * x[k];
                }
                y[o] = (float) switch (activation) {
                    case IDENTITY -> acc;
                    case RELU -> Math.max(0, acc);
                    case SIGMOID -> sigmoid(acc);
                    case TANH -> Math.tanh(acc);
                };
            }
            return y;
        }

        void check(int in) {
            if (w.length != outputs * in || b.length != outputs) {
                throw new IllegalArgumentException("dense layer " + in + " -> " + outputs + " has mis-sized weights");
            }
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
