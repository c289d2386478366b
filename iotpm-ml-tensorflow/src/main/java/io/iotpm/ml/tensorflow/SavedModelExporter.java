package io.iotpm.ml.tensorflow;

import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.anomaly.AnomalyDetector;
import io.iotpm.ml.internal.Folders;
import io.iotpm.ml.anomaly.AutoencoderConfig;
import io.iotpm.ml.anomaly.AutoencoderWeights;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.LstmWeights;
import io.iotpm.ml.network.LstmWeights.DenseLayer;
import io.iotpm.ml.network.LstmWeights.LstmLayer;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes an {@link LstmWeights} network as a TensorFlow SavedModel that TensorFlow (Python),
 * TensorFlow Serving and {@link SavedModelPredictor} load.
 *
 * <p>The graph unrolls the LSTM over the window's {@code sequenceLength} time steps with plain
 * MatMul/Sigmoid/Tanh ops in PyTorch's gate order, so it reproduces the PyTorch forward pass exactly
 * (to float rounding) and needs no custom or CPU-only kernel. Weights are variables, saved in the
 * SavedModel's {@code variables/} checkpoint. Its {@value ModelSidecar#DEFAULT_SIGNATURE}
 * signature (or the sidecar's) takes {@value #INPUT} {@code float32 [batch, sequenceLength, features]}
 * of already scaled features and returns {@value #OUTPUT} {@code float32 [batch, outputs]}: the dense
 * head's output, a probability when the head ends in a sigmoid. The {@code model.json} sidecar is
 * written beside it. An {@link AnomalyDetector} is written the same way, its signature returning the
 * reconstruction {@value #RECONSTRUCTION} {@code [batch, sequenceLength, features]}.
 */
public final class SavedModelExporter {

    /** Input name in the exported signature. */
    public static final String INPUT = "window";
    /** Output name in the exported signature. */
    public static final String OUTPUT = "failure_probability";
    /** Output name in an exported autoencoder's signature. */
    public static final String RECONSTRUCTION = "reconstruction";

    private SavedModelExporter() {
    }

    /**
     * Writes a trained LSTM as a SavedModel: a {@value ModelSidecar#DEFAULT_SIGNATURE} signature taking
     * the scaled feature window {@code [batch, sequenceLength, features]} and returning {@value #OUTPUT}
     * (or the RUL for regression models), plus a {@code model.json} sidecar with the feature recipe,
     * risk thresholds and decision threshold. Python TensorFlow and TF Serving can load it;
     * {@link SavedModelPredictor} serves it with the same predictions as the LSTM (to within 1e-4).
     *
     * @param lstm a trained predictor
     * @param dir  a folder that does not exist yet or is empty
     * @return the sidecar as written
     * @throws IOException           on a write error
     * @throws IllegalStateException before training, or when the TensorFlow natives are missing
     */
    public static ModelSidecar export(LstmPredictor lstm, Path dir) throws IOException {
        LstmNetwork network = lstm.network();
        double[] r = network.riskThresholds();
        return export(network.weights(), dir, ModelSidecar.forLstm(network,
                new RiskThresholds(r[0], r[1], r[2], network.decisionThreshold(), network.maintenanceLevel())));
    }

    /**
     * Exports the network. The folder must not exist or be empty; the model is written to a
     * temporary sibling folder first and moved into place, so a failed export leaves nothing behind.
     *
     * @param weights the network
     * @param dir     the SavedModel folder to create
     * @param sidecar channels, window length, scaler and thresholds, written as {@code model.json};
     *                its signature key is used and its input/output names are set to {@value #INPUT}
     *                and {@value #OUTPUT}
     * @return the sidecar as written
     * @throws IllegalArgumentException if the sidecar's channel count differs from the network's input
     *                                  size, or the folder exists and is not empty
     * @throws IOException              on a write error
     * @throws IllegalStateException    if the TensorFlow natives cannot be provided (see {@link TensorFlowNatives}),
     *                                  or the default format locale writes digits other than ASCII 0-9
     */
    public static ModelSidecar export(LstmWeights weights, Path dir, ModelSidecar sidecar) throws IOException {
        Objects.requireNonNull(weights, "weights");
        return exportGraph(dir, sidecar, weights.inputSize(), OUTPUT,
                (tf, x, loader) -> forward(tf, x, weights, sidecar.sequenceLength(), loader));
    }

    /**
     * Writes a trained autoencoder as a SavedModel: a {@value ModelSidecar#DEFAULT_SIGNATURE} signature
     * taking the scaled window {@value #INPUT} {@code [batch, T, C]} and returning its reconstruction
     * {@value #RECONSTRUCTION} {@code [batch, T, C]}, plus a {@code model.json} with
     * {@code "output_kind": "reconstruction"}, the scaler, the threshold and its calibration, so
     * {@link SavedModelPredictor} serves it with the detector's predictions (to within 1e-4).
     *
     * @param detector a trained anomaly detector
     * @param dir      a folder that does not exist yet or is empty
     * @return the sidecar as written
     * @throws IOException           on a write error
     * @throws IllegalStateException before training, or when the TensorFlow natives are missing
     */
    public static ModelSidecar export(AnomalyDetector detector, Path dir) throws IOException {
        AutoencoderWeights w = detector.network();
        ModelSidecar sidecar = ModelSidecar.of(w.version(), w.channels(), w.sequenceLength())
                .withFeatures(w.features())
                .withThresholds(new RiskThresholds(w.mediumRisk(), AutoencoderConfig.DECISION_PROBABILITY,
                        w.criticalRisk(), AutoencoderConfig.DECISION_PROBABILITY))
                .withReconstructionOutput(w.calibration());
        return exportGraph(dir, sidecar, w.channels().size(), RECONSTRUCTION,
                (tf, x, loader) -> reconstruct(tf, x, w, loader));
    }

    /** Builds the graph from the input placeholder; returns the signature's output. */
    @FunctionalInterface
    private interface GraphBody {
        Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, WeightLoader weights);
    }

    private static ModelSidecar exportGraph(Path dir, ModelSidecar sidecar, int inputSize, String outputName,
                                            GraphBody body) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(sidecar, "sidecar");
        requireAsciiDigits();
        if (sidecar.channels().size() != inputSize) {
            throw new IllegalArgumentException("model.json lists " + sidecar.channels().size()
                    + " channels but the network takes " + inputSize + " features");
        }
        Path target = dir.toAbsolutePath();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new IllegalArgumentException("export folder " + target + " exists and is not empty");
        }
        ModelSidecar written = sidecar.withSignature(sidecar.signature(), INPUT, outputName);
        TensorFlowNatives.engine();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + "-export-");
        try {
            // SavedModelBundle.exporter creates the folder itself.
            Path modelDir = tmp.resolve("model");
            write(modelDir, written, inputSize, outputName, body);
            written.write(modelDir);
            Files.deleteIfExists(target);
            Files.move(modelDir, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Folders.deleteRecursively(tmp);
        }
        return written;
    }

    /**
     * TensorFlow Java numbers repeated graph node names ({@code save/Assign_1}) with {@code String.format}, so in
     * the default format locale; TensorFlow refuses names in Arabic-Indic or Persian digits. Its own error names a
     * node, not the cause; this one names the locale and the way out. Loading and serving are not affected.
     */
    static void requireAsciiDigits() {
        String ten = String.format("%d", 10);
        if (!ten.equals("10")) {
            throw new IllegalStateException("SavedModel export needs a default format locale with ASCII digits, but "
                    + Locale.getDefault(Locale.Category.FORMAT).toLanguageTag() + " writes 10 as '" + ten
                    + "' (TensorFlow Java numbers graph nodes in it); start the JVM with -Duser.language=en, or call"
                    + " Locale.setDefault(Locale.Category.FORMAT, Locale.ROOT) before exporting");
        }
    }

    private static void write(Path dir, ModelSidecar sidecar, int inputSize, String outputName, GraphBody body)
            throws IOException {
        int steps = sidecar.sequenceLength();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, steps, inputSize)));
            WeightLoader weights = new WeightLoader();
            Operand<TFloat32> y = body.build(tf, x, weights);
            Operand<TFloat32> out = tf.withName(outputName).identity(y);
            try (Session session = new Session(graph)) {
                weights.load(session);
                Signature signature = Signature.builder(sidecar.signature())
                        .input(INPUT, x)
                        .output(outputName, out)
                        .methodName("tensorflow/serving/predict")
                        .build();
                SavedModelBundle.exporter(dir.toString())
                        .withTags(SavedModelBundle.DEFAULT_TAG)
                        .withSession(session)
                        .withFunction(SessionFunction.create(signature, session))
                        .export();
            }
        }
    }

    /**
     * The autoencoder: encoder over the window, its last hidden state tiled over the steps, decoder,
     * and the output layer applied to every step: {@code [batch, T, C]}.
     */
    private static Operand<TFloat32> reconstruct(Ops tf, Operand<TFloat32> x, AutoencoderWeights w,
                                                 WeightLoader weights) {
        int steps = w.sequenceLength();
        int c = w.channels().size();
        int hidden = w.decoder().hidden();
        List<Operand<TFloat32>> enc = unroll(tf.withSubScope("encoder"), x, c, w.encoder(), steps, weights);
        Ops s = tf.withSubScope("decoder");
        Operand<TFloat32> repeated = s.tile(s.expandDims(enc.get(steps - 1), s.constant(1)),
                s.constant(new int[] {1, steps, 1}));
        List<Operand<TFloat32>> dec = unroll(s, repeated, w.encoder().hidden(), w.decoder(), steps, weights);
        Operand<TFloat32> flat = s.reshape(s.stack(dec, Stack.axis(1L)), s.constant(new int[] {-1, hidden}));
        Ops o = tf.withSubScope("output");
        Operand<TFloat32> wo = weights.add(o, "w", w.outputWeight(), c, hidden);
        Operand<TFloat32> bo = weights.add(o, "b", w.outputBias(), c);
        Operand<TFloat32> y = o.math.add(o.linalg.matMul(flat, wo, MatMul.transposeB(true)), bo);
        return o.reshape(y, o.constant(new int[] {-1, steps, c}));
    }

    /** Builds the unrolled forward pass; returns the head's output {@code [batch, outputs]}. */
    private static Operand<TFloat32> forward(Ops tf, Operand<TFloat32> x, LstmWeights w, int steps,
                                             WeightLoader weights) {
        Operand<TFloat32> seq = x;
        int in = w.inputSize();
        Operand<TFloat32> h = null;
        for (int l = 0; l < w.lstm().size(); l++) {
            LstmLayer layer = w.lstm().get(l);
            Ops s = tf.withSubScope("lstm_" + l);
            List<Operand<TFloat32>> hs = unroll(s, seq, in, layer, steps, weights);
            h = hs.get(steps - 1);
            if (l < w.lstm().size() - 1) {
                seq = s.stack(hs, Stack.axis(1L));
            }
            in = layer.hidden();
        }
        Operand<TFloat32> y = h;
        for (int d = 0; d < w.dense().size(); d++) {
            DenseLayer layer = w.dense().get(d);
            Ops s = tf.withSubScope("dense_" + d);
            Operand<TFloat32> wd = weights.add(s, "w", layer.w(), layer.outputs(), in);
            Operand<TFloat32> bd = weights.add(s, "b", layer.b(), layer.b().length);
            y = s.math.add(s.linalg.matMul(y, wd, MatMul.transposeB(true)), bd);
            y = switch (layer.activation()) {
                case IDENTITY -> y;
                case RELU -> s.nn.relu(y);
                case SIGMOID -> s.math.sigmoid(y);
                case TANH -> s.math.tanh(y);
            };
            in = layer.outputs();
        }
        return y;
    }

    /** One LSTM layer unrolled over {@code seq [batch, steps, in]}; returns the hidden state of every step. */
    private static List<Operand<TFloat32>> unroll(Ops s, Operand<TFloat32> seq, int in, LstmLayer layer, int steps,
                                                  WeightLoader weights) {
        int hidden = layer.hidden();
        Operand<TFloat32> wIh = weights.add(s, "w_ih", layer.wIh(), 4 * hidden, in);
        Operand<TFloat32> wHh = weights.add(s, "w_hh", layer.wHh(), 4 * hidden, hidden);
        float[] bias = new float[4 * hidden];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = layer.bIh()[i] + layer.bHh()[i];
        }
        Operand<TFloat32> b = weights.add(s, "bias", bias, bias.length);
        // The input projection of every time step in one MatMul: [batch*T, in] x [in, 4H].
        Operand<TFloat32> flat = s.reshape(seq, s.constant(new int[] {-1, in}));
        Operand<TFloat32> proj = s.math.add(s.linalg.matMul(flat, wIh, MatMul.transposeB(true)), b);
        Operand<TFloat32> projSeq = s.reshape(proj, s.constant(new int[] {-1, steps, 4 * hidden}));
        Unstack<TFloat32> perStep = s.unstack(projSeq, (long) steps, Unstack.axis(1L));
        List<Operand<TFloat32>> hs = new ArrayList<>(steps);
        Operand<TFloat32> c = null;
        Operand<TFloat32> h = null;
        for (int t = 0; t < steps; t++) {
            Operand<TFloat32> gates = perStep.output().get(t);
            if (h != null) {
                gates = s.math.add(gates, s.linalg.matMul(h, wHh, MatMul.transposeB(true)));
            }
            List<Operand<TFloat32>> g = new ArrayList<>(4);
            s.split(s.constant(1), gates, 4L).forEach(g::add);
            Operand<TFloat32> i = s.math.sigmoid(g.get(0));
            Operand<TFloat32> f = s.math.sigmoid(g.get(1));
            Operand<TFloat32> cand = s.math.tanh(g.get(2));
            Operand<TFloat32> o = s.math.sigmoid(g.get(3));
            // The initial state is zero, so the first step needs neither h·W_hh nor f·c.
            c = c == null ? s.math.mul(i, cand) : s.math.add(s.math.mul(f, c), s.math.mul(i, cand));
            h = s.math.mul(o, s.math.tanh(c));
            hs.add(h);
        }
        return hs;
    }

    /**
     * Creates the weight variables and fills them by feeding their values once, rather than from
     * constant initializers, so the values live only in the {@code variables/} checkpoint and not a
     * second time in {@code saved_model.pb}.
     */
    private static final class WeightLoader {
        private final List<Placeholder<TFloat32>> feeds = new ArrayList<>();
        private final List<Assign<TFloat32>> assigns = new ArrayList<>();
        private final List<float[]> values = new ArrayList<>();
        private final List<Shape> shapes = new ArrayList<>();

        Operand<TFloat32> add(Ops s, String name, float[] value, long... dims) {
            Shape shape = Shape.of(dims);
            Variable<TFloat32> v = s.withName(name).variable(shape, TFloat32.class);
            Placeholder<TFloat32> in = s.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
            assigns.add(s.withName(name + "_assign").assign(v, in));
            feeds.add(in);
            values.add(value);
            shapes.add(shape);
            return v;
        }

        @SuppressWarnings("try") // the Result is closed, never read
        void load(Session session) {
            for (int i = 0; i < feeds.size(); i++) {
                try (TFloat32 t = TFloat32.tensorOf(shapes.get(i), DataBuffers.of(values.get(i), true, false));
                     Result ignored = session.runner().feed(feeds.get(i), t).addTarget(assigns.get(i)).run()) {
                    // The assign ran; nothing to fetch.
                }
            }
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
            return !s.iterator().hasNext();
        }
    }
}
