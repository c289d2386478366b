package io.iotpm.ml.tensorflow;

import io.iotpm.ml.network.LstmWeights;
import io.iotpm.ml.network.LstmWeights.DenseLayer;
import io.iotpm.ml.network.LstmWeights.LstmLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plain-Java forward pass of {@link LstmWeights} in double precision, written from the PyTorch
 * {@code torch.nn.LSTM} equations, independent of any engine: the oracle of the parity tests.
 */
final class LstmReference {

    private LstmReference() {
    }

    /**
     * @param w     the network
     * @param x     {@code [time][features]}, already scaled
     * @return the head's output
     */
    static double[] forward(LstmWeights w, double[][] x) {
        double[][] seq = x;
        double[] h = null;
        for (LstmLayer layer : w.lstm()) {
            int hid = layer.hidden();
            int in = seq[0].length;
            h = new double[hid];
            double[] c = new double[hid];
            double[][] outs = new double[seq.length][];
            for (int t = 0; t < seq.length; t++) {
                double[] gates = new double[4 * hid];
                for (int r = 0; r < 4 * hid; r++) {
                    double s = layer.bIh()[r] + layer.bHh()[r];
                    for (int k = 0; k < in; k++) {
                        s += layer.wIh()[r * in + k] * seq[t][k];
                    }
                    for (int k = 0; k < hid; k++) {
                        s += layer.wHh()[r * hid + k] * h[k];
                    }
                    gates[r] = s;
                }
                double[] nh = new double[hid];
                for (int j = 0; j < hid; j++) {
                    double i = sigmoid(gates[j]);
                    double f = sigmoid(gates[hid + j]);
                    double g = Math.tanh(gates[2 * hid + j]);
                    double o = sigmoid(gates[3 * hid + j]);
                    c[j] = f * c[j] + i * g;
                    nh[j] = o * Math.tanh(c[j]);
                }
                h = nh;
                outs[t] = nh;
            }
            seq = outs;
        }
        double[] y = h;
        for (DenseLayer d : w.dense()) {
            int in = y.length;
            double[] z = new double[d.outputs()];
            for (int r = 0; r < z.length; r++) {
                double s = d.b()[r];
                for (int k = 0; k < in; k++) {
                    s += d.w()[r * in + k] * y[k];
                }
                z[r] = switch (d.activation()) {
                    case IDENTITY -> s;
                    case RELU -> Math.max(0, s);
                    case SIGMOID -> sigmoid(s);
                    case TANH -> Math.tanh(s);
                };
            }
            y = z;
        }
        return y;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /**
     * A network with uniform(-a, a) weights, a = 1/sqrt(hidden) as PyTorch initialises them, ending
     * in a sigmoid so its output is a probability.
     */
    static LstmWeights random(long seed, int inputSize, int[] hidden, int[] dense) {
        Random rnd = new Random(seed);
        List<LstmLayer> lstm = new ArrayList<>();
        int in = inputSize;
        for (int h : hidden) {
            double a = 1 / Math.sqrt(h);
            lstm.add(new LstmLayer(h, uniform(rnd, 4 * h * in, a), uniform(rnd, 4 * h * h, a),
                    uniform(rnd, 4 * h, a), uniform(rnd, 4 * h, a)));
            in = h;
        }
        List<DenseLayer> head = new ArrayList<>();
        for (int i = 0; i < dense.length; i++) {
            double a = 1 / Math.sqrt(in);
            boolean last = i == dense.length - 1;
            head.add(new DenseLayer(dense[i], uniform(rnd, dense[i] * in, a), uniform(rnd, dense[i], a),
                    last ? LstmWeights.Activation.SIGMOID : LstmWeights.Activation.RELU));
            in = dense[i];
        }
        return new LstmWeights(inputSize, lstm, head);
    }

    private static float[] uniform(Random rnd, int n, double a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        return v;
    }
}
