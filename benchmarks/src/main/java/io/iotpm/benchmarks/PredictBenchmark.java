package io.iotpm.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.Predictors;
import io.iotpm.ml.TrainingSet;
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

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * LSTM inference: {@code predict} of one window and {@code predictBatch} of {@code batch} windows
 * (features, scaling, validation, one forward pass, {@code Prediction}s) beside a raw DJL forward
 * pass of the same block with the same saved parameters (a prepared NDArray in, floats out). The
 * network is the original's: 60-step windows of the industrial motor (12 features), LSTM 100 → 50,
 * one output. PyTorch runs one intra-op thread (see the README).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class PredictBenchmark {

    private static final int LENGTH = 60;

    @Param({"1", "32", "256"})
    public int batch;

    private Path dir;
    private LstmPredictor predictor;
    private List<DeviceWindow> windows;
    private DeviceWindow one;
    private NDManager rawManager;
    private SequentialBlock rawBlock;
    private float[] rawInput;
    private int features;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Fleet fleet = Fleet.builder().devices(4).seed(7).failureProbability(0.5).start(start).build();
        List<SensorReading> readings = fleet.history(Duration.ofDays(2)).toList();
        try (LstmPredictor trainer = LstmPredictor.builder(SensorSchema.industrialMotor()).sequenceLength(LENGTH)
                .layers(100, 50).stride(30).epochs(1).validationFraction(0).seed(1).build()) {
            trainer.train(TrainingSet.of(readings, fleet.events()));
            dir = Files.createTempDirectory("iotpm-bench-model");
            trainer.save(dir);
        }
        predictor = Predictors.load(dir);
        features = predictor.featureNames().size();

        Map<String, List<SensorReading>> byDevice = new TreeMap<>();
        readings.forEach(r -> byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r));
        List<List<SensorReading>> series = new ArrayList<>(byDevice.values());
        windows = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            List<SensorReading> s = series.get(i % series.size());
            int end = s.size() - (i / series.size()) * 3;
            windows.add(new DeviceWindow(s.get(0).deviceId(), s.subList(end - LENGTH, end)));
        }
        one = windows.get(0);

        // Raw baseline: the same block structure, parameters read from the saved model.params.
        rawManager = NDManager.newBaseManager("PyTorch");
        rawBlock = new SequentialBlock()
                .add(LSTM.builder().setStateSize(100).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(Dropout.builder().optRate(0.2f).build())
                .add(LSTM.builder().setStateSize(50).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(Dropout.builder().optRate(0.2f).build())
                .add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().get(":, -1, :")), "lastStep"))
                .add(Linear.builder().setUnits(1).build());
        try (InputStream in = Files.newInputStream(dir.resolve("model.params"))) {
            rawBlock.loadParameters(rawManager, new DataInputStream(in));
        }
        rawBlock.freezeParameters(true);
        SplittableRandom rnd = new SplittableRandom(3);
        rawInput = new float[batch * LENGTH * features];
        for (int i = 0; i < rawInput.length; i++) {
            rawInput[i] = (float) rnd.nextDouble();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        predictor.close();
        rawManager.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Library, one window: {@code predict(deviceId, readings)} (independent of {@code batch}). */
    @Benchmark
    public Prediction predictOne() {
        return predictor.predict(one.deviceId(), one.readings());
    }

    /** Library: {@code predictBatch} of {@code batch} windows, one forward pass. */
    @Benchmark
    public List<Prediction> predictBatch() {
        return predictor.predictBatch(windows);
    }

    /** Raw DJL: the same block on an already scaled {@code [batch, 60, 12]} array. */
    @Benchmark
    public float[] rawForward() {
        try (NDManager m = rawManager.newSubManager()) {
            NDArray x = m.create(rawInput, new Shape(batch, LENGTH, features));
            return rawBlock.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }
}
