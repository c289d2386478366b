package io.iotpm.examples.cli;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.RiskLevel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.ml.network.LstmWeights;
import io.iotpm.ml.tensorflow.ModelSidecar;
import io.iotpm.ml.tensorflow.RiskThresholds;
import io.iotpm.ml.tensorflow.SavedModelExporter;
import io.iotpm.ml.tensorflow.SavedModelPredictor;
import io.iotpm.ml.tensorflow.Scaler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./iotpm tensorflow}: train an LSTM on DJL's PyTorch engine, export it as a TensorFlow
 * SavedModel, serve it back through DJL's TensorFlow engine and print how closely the two engines
 * agree. {@code --random} skips training and uses a seeded random network (the demo's step).
 */
@Command(name = "tensorflow", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "train an LSTM (PyTorch), export it as a SavedModel, serve it via TensorFlow, check parity")
final class TensorFlowCommand implements Callable<Integer> {

    static final int STEPS = 30;

    @ParentCommand
    private IotpmCli cli;

    @Option(names = "--windows", defaultValue = "1000", description = "windows to predict with both engines")
    private int count;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the simulation and the network")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "keep the SavedModel here (default: a temporary folder)")
    private String outDir;

    @Option(names = "--random", description = "skip training: a seeded random network (the demo's step)")
    private boolean random;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        if (count < 1) {
            throw new IllegalArgumentException("--windows must be >= 1, but was " + count);
        }
        Path dir = outDir != null ? Path.of(outDir) : Files.createTempDirectory("iotpm-savedmodel-").resolve("model");
        try {
            Result r = random ? exportAndServe(dir, count, seed, out) : trainExportAndServe(dir, count, seed, out);
            return r.maxDiff() <= 1e-4 ? 0 : 1;
        } finally {
            if (outDir == null) {
                deleteRecursively(dir.getParent());
            }
        }
    }

    record Result(int windows, double maxDiff) {
    }

    /**
     * Trains a small LSTM on the PyTorch engine, exports it, serves the SavedModel on the TensorFlow
     * engine and compares the two engines' predictions.
     */
    static Result trainExportAndServe(Path dir, int count, long seed, PrintStream out) throws IOException {
        MlSupport.quietOffline();
        SensorSchema schema = SensorSchema.industrialMotor();
        Fleet fleet = Fleet.builder().devices(6).idPrefix("PUMP_").seed(seed).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        List<SensorReading> history = fleet.history(Duration.ofHours(36)).toList();
        RiskThresholds risk = new RiskThresholds(0.3, 0.5, 0.8, 0.5);
        long t0 = System.nanoTime();
        try (LstmPredictor lstm = LstmPredictor.builder(schema).sequenceLength(STEPS).horizon(60).stride(10)
                .layers(16, 8).denseLayers(8).epochs(2).seed(seed).compositeChannels(true).rollingFeatures(5)
                .riskThresholds(risk.medium(), risk.high(), risk.critical()).decisionThreshold(risk.decision())
                .build()) {
            lstm.train(TrainingSet.of(history, fleet.events()));
            out.printf("trained an LSTM (16 -> 8, dense 8 -> 1) on the PyTorch engine: %d readings of 6 motors, %d"
                    + " features per step, %.1f s%n", history.size(), lstm.featureNames().size(),
                    (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            ModelSidecar sidecar = SavedModelExporter.export(lstm, dir);
            out.printf("exported SavedModel to %s in %.1f s (serving_default: window [batch, %d, %d] -> %s)%n",
                    dir, (System.nanoTime() - t0) / 1e9, STEPS, sidecar.channels().size(), SavedModelExporter.OUTPUT);

            List<DeviceWindow> windows = windows(schema, count, seed + 1000);
            t0 = System.nanoTime();
            List<Prediction> pytorch = lstm.predictBatch(windows);
            double ptMs = (System.nanoTime() - t0) / 1e6;
            try (SavedModelPredictor tf = SavedModelPredictor.load(dir)) {
                t0 = System.nanoTime();
                List<Prediction> served = tf.predictBatch(windows);
                double tfMs = (System.nanoTime() - t0) / 1e6;
                double maxDiff = 0;
                int sameRisk = 0;
                Map<RiskLevel, Integer> risks = new EnumMap<>(RiskLevel.class);
                for (int i = 0; i < windows.size(); i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(served.get(i).failureProbability()
                            - pytorch.get(i).failureProbability()));
                    sameRisk += served.get(i).riskLevel() == pytorch.get(i).riskLevel() ? 1 : 0;
                    risks.merge(served.get(i).riskLevel(), 1, Integer::sum);
                }
                out.printf("%d windows: PyTorch engine %.0f ms, TensorFlow engine %.0f ms (one batch each; first call"
                        + " includes warm-up)%n", windows.size(), ptMs, tfMs);
                out.printf("risk levels (TensorFlow) %s; same level as PyTorch on %d of %d%n", risks, sameRisk,
                        windows.size());
                out.printf("parity with the PyTorch engine: max |difference| = %.2e (%s, tolerance 1e-4)%n",
                        maxDiff, maxDiff <= 1e-4 ? "OK" : "MISMATCH");
                return new Result(windows.size(), maxDiff);
            }
        }
    }

    /** The round trip on a seeded random network, no training: fast, so it is the demo's step. */
    static Result exportAndServe(Path dir, int count, long seed, PrintStream out) throws IOException {
        SensorSchema schema = SensorSchema.industrialMotor();
        List<DeviceWindow> windows = windows(schema, count, seed);
        Scaler scaler = Scaler.fitMinMax(windows);
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

    /** The plain-Java forward pass of the weights on the scaled window: the oracle. */
    private static double reference(LstmWeights w, DeviceWindow window, Scaler scaler) {
        List<SensorReading> rs = window.readings();
        float[][] seq = new float[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] v = rs.get(rs.size() - STEPS + t).values();
            seq[t] = new float[v.length];
            for (int f = 0; f < v.length; f++) {
                seq[t][f] = (float) scaler.apply(f, v[f]);
            }
        }
        return w.forward(seq)[0];
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
