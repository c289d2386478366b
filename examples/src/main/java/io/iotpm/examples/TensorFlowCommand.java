package io.iotpm.examples;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.ml.internal.LstmWeights;
import io.iotpm.ml.tensorflow.ModelSidecar;
import io.iotpm.ml.tensorflow.SavedModelExporter;
import io.iotpm.ml.tensorflow.SavedModelPredictor;
import io.iotpm.ml.tensorflow.Scaler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code ./iotpm tensorflow}: export an LSTM as a TensorFlow SavedModel, serve it back through DJL's
 * TensorFlow engine and print how closely it matches the plain-Java forward pass.
 */
final class TensorFlowCommand implements Command {

    static final int STEPS = 30;

    @Override
    public String name() {
        return "tensorflow";
    }

    @Override
    public String summary() {
        return "export an LSTM as a SavedModel, serve it via TensorFlow, check parity [--windows 1000 --seed 42 --out DIR]";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        int count = args.getInt("windows", 1000);
        if (count < 1) {
            throw new IllegalArgumentException("--windows must be >= 1, but was " + count);
        }
        long seed = args.getInt("seed", 42);
        String outDir = args.get("out", null);
        Path dir = outDir != null ? Path.of(outDir) : Files.createTempDirectory("iotpm-savedmodel-").resolve("model");
        try {
            Result r = exportAndServe(dir, count, seed, out);
            return r.maxDiff() <= 1e-4 ? 0 : 1;
        } finally {
            if (outDir == null) {
                deleteRecursively(dir.getParent());
            }
        }
    }

    record Result(int windows, double maxDiff) {
    }

    /** The whole round trip; also the demo's step. */
    static Result exportAndServe(Path dir, int count, long seed, PrintStream out) throws IOException {
        SensorSchema schema = SensorSchema.industrialMotor();
        List<DeviceWindow> windows = windows(schema, count, seed);
        Scaler scaler = fitMinMax(windows, schema);
        LstmWeights weights = randomNetwork(seed, schema.size());
        List<String> channels = new ArrayList<>();
        schema.channels().forEach(c -> channels.add(c.name()));
        out.printf("network: LSTM %d -> 32 -> 16, dense 8 -> 1 (sigmoid), seeded random weights (seed %d)%n",
                schema.size(), seed);

        long t0 = System.nanoTime();
        SavedModelExporter.export(weights, dir, ModelSidecar.of("demo-lstm-" + seed, channels, STEPS).withScaler(scaler));
        out.printf("exported SavedModel to %s in %.1f s (serving_default: window [batch, %d, %d] -> failure_probability)%n",
                dir, (System.nanoTime() - t0) / 1e9, STEPS, schema.size());

        t0 = System.nanoTime();
        try (SavedModelPredictor predictor = SavedModelPredictor.load(dir)) {
            out.printf("loaded it into DJL's TensorFlow engine in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            List<Prediction> served = predictor.predictBatch(windows);
            double ms = (System.nanoTime() - t0) / 1e6;
            double maxDiff = 0;
            Map<RiskLevel, Integer> risks = new EnumMap<>(RiskLevel.class);
            for (int i = 0; i < windows.size(); i++) {
                double expected = reference(weights, windows.get(i), scaler);
                maxDiff = Math.max(maxDiff, Math.abs(served.get(i).failureProbability() - expected));
                risks.merge(served.get(i).riskLevel(), 1, Integer::sum);
            }
            out.printf("served %d windows in one batch in %.0f ms; risk levels %s%n", windows.size(), ms, risks);
            out.printf("parity with the plain-Java forward pass: max |difference| = %.2e (%s, tolerance 1e-4)%n",
                    maxDiff, maxDiff <= 1e-4 ? "OK" : "MISMATCH");
            return new Result(windows.size(), maxDiff);
        }
    }

    private static List<DeviceWindow> windows(SensorSchema schema, int count, long seed) {
        List<DeviceWindow> out = new ArrayList<>(count);
        int devices = Math.min(10, count);
        int per = (count + devices - 1) / devices;
        for (int d = 0; d < devices && out.size() < count; d++) {
            String id = "PUMP_" + d;
            List<SensorReading> history = SensorSimulator.builder().deviceId(id).schema(schema).seed(seed + d)
                    .failureProbability(1.0).start(Instant.parse("2026-01-01T00:00:00Z")).build()
                    .history(Duration.ofMinutes((long) per * 5 + STEPS)).toList();
            for (int i = 0; i < per && out.size() < count; i++) {
                out.add(new DeviceWindow(id, history.subList(i * 5, i * 5 + STEPS)));
            }
        }
        return out;
    }

    private static Scaler fitMinMax(List<DeviceWindow> windows, SensorSchema schema) {
        double[] min = new double[schema.size()];
        double[] max = new double[schema.size()];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (DeviceWindow w : windows) {
            for (SensorReading r : w.readings()) {
                for (int i = 0; i < min.length; i++) {
                    min[i] = Math.min(min[i], r.value(i));
                    max[i] = Math.max(max[i], r.value(i));
                }
            }
        }
        return Scaler.minMax(min, max);
    }

    /** A network with PyTorch's default uniform(±1/sqrt(fan)) initialisation, seeded. */
    static LstmWeights randomNetwork(long seed, int inputs) {
        Random rnd = new Random(seed);
        List<LstmWeights.LstmLayer> lstm = new ArrayList<>();
        int in = inputs;
        for (int h : new int[] {32, 16}) {
            double a = 1 / Math.sqrt(h);
            lstm.add(new LstmWeights.LstmLayer(h, uniform(rnd, 4 * h * in, a), uniform(rnd, 4 * h * h, a),
                    uniform(rnd, 4 * h, a), uniform(rnd, 4 * h, a)));
            in = h;
        }
        List<LstmWeights.DenseLayer> dense = List.of(
                new LstmWeights.DenseLayer(8, uniform(rnd, 8 * in, 1 / Math.sqrt(in)), uniform(rnd, 8, 0.25),
                        LstmWeights.Activation.RELU),
                new LstmWeights.DenseLayer(1, uniform(rnd, 8, 1 / Math.sqrt(8)), uniform(rnd, 1, 0.3),
                        LstmWeights.Activation.SIGMOID));
        return new LstmWeights(inputs, lstm, dense);
    }

    private static float[] uniform(Random rnd, int n, double a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        return v;
    }

    /** PyTorch's LSTM equations in plain Java, the oracle the served model is held to. */
    private static double reference(LstmWeights w, DeviceWindow window, Scaler scaler) {
        List<SensorReading> rs = window.readings();
        double[][] seq = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] v = rs.get(rs.size() - STEPS + t).values();
            seq[t] = new double[v.length];
            for (int f = 0; f < v.length; f++) {
                seq[t][f] = (float) scaler.apply(f, v[f]);
            }
        }
        double[] h = null;
        for (LstmWeights.LstmLayer l : w.lstm()) {
            int hid = l.hidden();
            int in = seq[0].length;
            h = new double[hid];
            double[] c = new double[hid];
            double[][] next = new double[STEPS][];
            for (int t = 0; t < STEPS; t++) {
                double[] nh = new double[hid];
                for (int j = 0; j < hid; j++) {
                    double[] g = new double[4];
                    for (int q = 0; q < 4; q++) {
                        int r = q * hid + j;
                        double s = l.bIh()[r] + l.bHh()[r];
                        for (int k = 0; k < in; k++) {
                            s += l.wIh()[r * in + k] * seq[t][k];
                        }
                        for (int k = 0; k < hid; k++) {
                            s += l.wHh()[r * hid + k] * h[k];
                        }
                        g[q] = s;
                    }
                    c[j] = sigmoid(g[1]) * c[j] + sigmoid(g[0]) * Math.tanh(g[2]);
                    nh[j] = sigmoid(g[3]) * Math.tanh(c[j]);
                }
                h = nh;
                next[t] = nh;
            }
            seq = next;
        }
        double[] y = h;
        for (LstmWeights.DenseLayer d : w.dense()) {
            double[] z = new double[d.outputs()];
            for (int r = 0; r < z.length; r++) {
                double s = d.b()[r];
                for (int k = 0; k < y.length; k++) {
                    s += d.w()[r * y.length + k] * y[k];
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
        return y[0];
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
