package io.iotpm.benchmarks;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.ml.network.LstmWeights;
import io.iotpm.ml.tensorflow.ModelSidecar;
import io.iotpm.ml.tensorflow.SavedModelExporter;
import io.iotpm.ml.tensorflow.SavedModelPredictor;
import io.iotpm.ml.tensorflow.Scaler;
import io.iotpm.ml.tensorflow.TensorFlowNatives;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
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
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One LSTM (10 features, window 60, LSTM 100 → 50, dense 1 with sigmoid: the original system's
 * size), exported as a SavedModel and served by DJL's TensorFlow engine, against the same weights
 * in DJL's PyTorch engine. Latency per call for one window and for a batch of 256.
 *
 * <ul>
 *   <li>{@code tensorflowPredictor}: the library, {@link SavedModelPredictor#predictBatch} from
 *       readings to {@link Prediction}s (scaling, tensor, session run, risk levels).</li>
 *   <li>{@code tensorflowRaw}: raw baseline, DJL's TensorFlow block on already scaled floats.</li>
 *   <li>{@code pytorchRaw}: the same network as DJL PyTorch blocks (LSTM, LSTM, last step, Linear,
 *       sigmoid) on the same floats.</li>
 * </ul>
 * Setup checks the three agree within 1e-4 before anything is timed. Each engine gets one
 * intra-op and one inter-op thread (see the fork arguments).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
// One thread per engine: on a small shared machine, two engines' spinning thread pools (OpenMP
// for PyTorch, Eigen for TensorFlow) in one JVM otherwise starve each other by orders of magnitude.
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
        "-Dai.djl.tensorflow.num_intraop_threads=1", "-Dai.djl.tensorflow.num_interop_threads=1"})
public class TensorFlowBenchmark {

    static final int STEPS = 60;
    static final int[] LAYERS = {100, 50};

    @Param({"1", "256"})
    public int batch;

    private Path tmp;
    private List<DeviceWindow> windows;
    private float[] scaled;
    private SavedModelPredictor predictor;
    private Model tfModel;
    private NDManager ptManager;
    private Block ptBlock;
    private int features;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        SensorSchema schema = SensorSchema.industrialMotor();
        features = schema.size();
        windows = windows(schema, batch);
        Scaler scaler = Scaler.fitMinMax(windows);
        LstmWeights weights = randomNetwork(42, features);
        List<String> channels = new ArrayList<>();
        schema.channels().forEach(c -> channels.add(c.name()));
        tmp = Files.createTempDirectory("iotpm-tf-bench-");
        Path dir = tmp.resolve("model");
        SavedModelExporter.export(weights, dir, ModelSidecar.of("bench", channels, STEPS).withScaler(scaler));
        predictor = SavedModelPredictor.load(dir);

        scaled = new float[batch * STEPS * features];
        for (int w = 0; w < batch; w++) {
            List<SensorReading> rs = windows.get(w).readings();
            for (int t = 0; t < STEPS; t++) {
                double[] v = rs.get(t).values();
                for (int f = 0; f < features; f++) {
                    scaled[(w * STEPS + t) * features + f] = (float) scaler.apply(f, v[f]);
                }
            }
        }

        TensorFlowNatives.ensureInstalled();
        tfModel = Model.newInstance("bench", Device.cpu(), "TensorFlow");
        try {
            tfModel.load(dir, null, Map.of("Tags", new String[] {"serve"}, "SignatureDefKey", "serving_default"));
        } catch (MalformedModelException e) {
            throw new IOException(e);
        }
        ptManager = Engine.getEngine("PyTorch").newBaseManager();
        ptBlock = pytorchBlock(weights, ptManager, features);

        float[] a = toFloats(predictor.predictBatch(windows));
        float[] b = tensorflowRaw();
        float[] c = pytorchRaw();
        for (int i = 0; i < batch; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-4 || Math.abs(a[i] - c[i]) > 1e-4) {
                throw new IllegalStateException("engines disagree on window " + i + ": predictor " + a[i]
                        + ", TensorFlow " + b[i] + ", PyTorch " + c[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        predictor.close();
        tfModel.close();
        ptManager.close();
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The library: readings in, predictions out, on the TensorFlow engine. */
    @Benchmark
    public List<Prediction> tensorflowPredictor() {
        return predictor.predictBatch(windows);
    }

    /** Raw baseline: DJL's TensorFlow block on already scaled floats. */
    @Benchmark
    public float[] tensorflowRaw() {
        return forward(tfModel.getNDManager(), tfModel.getBlock());
    }

    /** The same network on DJL's PyTorch engine, on the same floats. */
    @Benchmark
    public float[] pytorchRaw() {
        return forward(ptManager, ptBlock);
    }

    private float[] forward(NDManager parent, Block block) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(scaled, new Shape(batch, STEPS, features));
            NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    private static float[] toFloats(List<Prediction> ps) {
        float[] out = new float[ps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ps.get(i).failureProbability();
        }
        return out;
    }

    /** DJL PyTorch blocks with the exported weights: one single-layer LSTM block per layer. */
    static Block pytorchBlock(LstmWeights w, NDManager manager, int features) {
        SequentialBlock net = new SequentialBlock();
        for (LstmWeights.LstmLayer l : w.lstm()) {
            net.add(LSTM.builder().setStateSize(l.hidden()).setNumLayers(1).optBatchFirst(true)
                    .optReturnState(false).build());
        }
        net.add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().get(":, -1, :"))));
        for (LstmWeights.DenseLayer d : w.dense()) {
            net.add(Linear.builder().setUnits(d.outputs()).build());
            switch (d.activation()) {
                case RELU -> net.add(Activation::relu);
                case SIGMOID -> net.add(Activation::sigmoid);
                case TANH -> net.add(Activation::tanh);
                case IDENTITY -> { }
            }
        }
        net.initialize(manager, DataType.FLOAT32, new Shape(1, STEPS, features));
        int lstmIndex = 0;
        int denseIndex = 0;
        for (Block child : net.getChildren().values()) {
            if (child instanceof LSTM) {
                LstmWeights.LstmLayer l = w.lstm().get(lstmIndex++);
                for (Pair<String, Parameter> p : child.getParameters()) {
                    String n = p.getKey();
                    float[] v = n.endsWith("i2h_WEIGHT") ? l.wIh() : n.endsWith("h2h_WEIGHT") ? l.wHh()
                            : n.endsWith("i2h_BIAS") ? l.bIh() : n.endsWith("h2h_BIAS") ? l.bHh() : null;
                    if (v == null) {
                        throw new IllegalStateException("unexpected LSTM parameter " + n);
                    }
                    p.getValue().getArray().set(v);
                }
            } else if (child instanceof Linear) {
                LstmWeights.DenseLayer d = w.dense().get(denseIndex++);
                for (Pair<String, Parameter> p : child.getParameters()) {
                    p.getValue().getArray().set(p.getKey().endsWith("weight") ? d.w() : d.b());
                }
            }
        }
        return net;
    }

    static LstmWeights randomNetwork(long seed, int inputs) {
        Random rnd = new Random(seed);
        List<LstmWeights.LstmLayer> lstm = new ArrayList<>();
        int in = inputs;
        for (int h : LAYERS) {
            double a = 1 / Math.sqrt(h);
            lstm.add(new LstmWeights.LstmLayer(h, uniform(rnd, 4 * h * in, a), uniform(rnd, 4 * h * h, a),
                    uniform(rnd, 4 * h, a), uniform(rnd, 4 * h, a)));
            in = h;
        }
        return new LstmWeights(inputs, lstm, List.of(new LstmWeights.DenseLayer(1, uniform(rnd, in, 1 / Math.sqrt(in)),
                uniform(rnd, 1, 0.1), LstmWeights.Activation.SIGMOID)));
    }

    private static float[] uniform(Random rnd, int n, double a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        return v;
    }

    private static List<DeviceWindow> windows(SensorSchema schema, int count) {
        List<DeviceWindow> out = new ArrayList<>(count);
        List<SensorReading> history = SensorSimulator.builder().deviceId("PUMP_1").schema(schema).seed(7)
                .failureProbability(1.0).start(Instant.parse("2026-01-01T00:00:00Z")).build()
                .history(Duration.ofMinutes((long) count * 3 + STEPS)).toList();
        for (int i = 0; i < count; i++) {
            out.add(new DeviceWindow("PUMP_1", history.subList(i * 3, i * 3 + STEPS)));
        }
        return out;
    }

}
