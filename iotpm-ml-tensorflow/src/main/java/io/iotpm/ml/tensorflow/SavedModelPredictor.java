package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.network.PlattScaling;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link Predictor} that serves a TensorFlow SavedModel through DJL's TensorFlow engine: one
 * exported by {@link SavedModelExporter}, or one trained in Python/Keras.
 *
 * <p>The model folder holds {@code saved_model.pb}, {@code variables/} and optionally a
 * {@code model.json} sidecar ({@link ModelSidecar}: channels, window length, scaler, thresholds,
 * signature). The chosen signature must have exactly one input, {@code float32} of shape
 * {@code [batch, time, features]} (any of the three may be -1), fed with the sidecar's channels,
 * scaled, oldest reading first; its output (the sidecar's, or the only one) is {@code [batch, 1]} or
 * {@code [batch]}, the failure probability (or its logit, or a remaining useful life; see
 * {@link ModelSidecar.OutputKind}). A Keras model from the original Python
 * code ({@code Sequential([LSTM(..., input_shape=(60, n)), ..., Dense(1, activation="sigmoid")])},
 * saved with {@code model.export(dir)} or {@code tf.saved_model.save(model, dir)}) has exactly this
 * {@code serving_default} signature. Its {@code model.json} must carry the scaler the Python code
 * fitted; without a sidecar the readings go in unscaled, in schema order.
 *
 * <p>Everything is checked when the predictor is built, before any native code runs: the folder,
 * the signature, the input's type and shape against the channels and window length. Safe for
 * concurrent use; {@link #close()} releases the TensorFlow session.
 */
public final class SavedModelPredictor implements Predictor {

    /** The SavedModel tag that serving graphs carry. */
    public static final String SERVE_TAG = "serve";

    private final SensorSchema schema;
    private final ModelSidecar sidecar;
    private final FeatureEncoder encoder;
    private final int features;
    private final int steps;
    private final int outputIndex;
    private final Model model;
    private final Block block;
    /** Forwards share the session; close() waits for them, so it never frees a session in use. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private SavedModelPredictor(SensorSchema schema, ModelSidecar sidecar, FeatureEncoder encoder, int outputIndex,
                                Model model) {
        this.schema = schema;
        this.sidecar = sidecar;
        this.encoder = encoder;
        this.features = encoder.featureCount();
        this.steps = sidecar.sequenceLength();
        this.outputIndex = outputIndex;
        this.model = model;
        this.block = model.getBlock();
    }

    /**
     * @param modelDir the SavedModel folder
     * @return a builder
     */
    public static Builder builder(Path modelDir) {
        return new Builder(modelDir);
    }

    /**
     * Loads a SavedModel with its {@code model.json} and the industrial-motor schema.
     *
     * @param modelDir the SavedModel folder
     * @return the predictor
     * @throws IOException              on a read error
     * @throws IllegalArgumentException on a folder that is not a SavedModel, a missing signature or a wrong shape
     */
    public static SavedModelPredictor load(Path modelDir) throws IOException {
        return builder(modelDir).build();
    }

    @Override
    public SensorSchema schema() {
        return schema;
    }

    @Override
    public int sequenceLength() {
        return steps;
    }

    /** @return the sidecar's {@code min_history}: shorter windows are padded as the model was trained */
    @Override
    public int minHistory() {
        return sidecar.minHistory();
    }

    /** @return the sidecar in force (read from {@code model.json}, given, or derived) */
    public ModelSidecar sidecar() {
        return sidecar;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        return predictBatch(List.of(new DeviceWindow(deviceId, window))).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<DeviceWindow> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        int n = windows.size();
        float[] input = new float[n * steps * features];
        for (int w = 0; w < n; w++) {
            fill(windows.get(w), input, w * steps * features);
        }
        if (sidecar.outputKind() == ModelSidecar.OutputKind.RECONSTRUCTION) {
            return Reconstructions.predictions(sidecar, windows, input, forwardAll(input, n, steps * features),
                    features);
        }
        float[] out = forward(input, n);
        List<Prediction> predictions = new ArrayList<>(n);
        for (int w = 0; w < n; w++) {
            DeviceWindow dw = windows.get(w);
            predictions.add(toPrediction(dw, out[w]));
        }
        return predictions;
    }

    private void fill(DeviceWindow dw, float[] input, int offset) {
        List<SensorReading> readings = dw.readings();
        int minHistory = sidecar.minHistory();
        if (readings.size() < minHistory) {
            throw new IllegalArgumentException("window of device '" + dw.deviceId() + "' has " + readings.size()
                    + " readings but the model needs " + minHistory);
        }
        // A window shorter than the model's is padded at the front with its oldest reading, as in training.
        int first = readings.size() - steps;
        int width = schema.size();
        double[] raw = new double[steps * width];
        for (int t = 0; t < steps; t++) {
            SensorReading r = readings.get(Math.max(0, first + t));
            if (!r.schema().equals(schema)) {
                throw new IllegalArgumentException("reading of device '" + dw.deviceId() + "' at " + r.timestamp()
                        + " has schema '" + r.schema().name() + "' but the predictor expects '" + schema.name() + "'");
            }
            r.copyValuesTo(raw, t * width);
            for (int c = 0; c < width; c++) {
                if (!Double.isFinite(raw[t * width + c])) {
                    throw new IllegalArgumentException("reading of device '" + dw.deviceId() + "' at " + r.timestamp()
                            + " has " + schema.channelName(c) + " = " + raw[t * width + c]);
                }
            }
        }
        encoder.encode(raw, steps, input, offset);
    }

    /**
     * Runs the model on already scaled input.
     *
     * @param scaled {@code [batch, sequenceLength, features]} row-major
     * @param batch  number of windows
     * @return the chosen output's first column, one value per window
     */
    float[] forward(float[] scaled, int batch) {
        lock.readLock().lock();
        try (NDManager manager = newManager()) {
            NDArray x = manager.create(scaled, new Shape(batch, steps, features));
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
            NDArray y = out.get(outputIndex);
            long[] shape = y.getShape().getShape();
            if (shape.length == 0 || shape[0] != batch || (shape.length == 2 && shape[1] < 1) || shape.length > 2) {
                throw new IllegalStateException("model output has shape " + y.getShape() + " but [" + batch
                        + ", 1] or [" + batch + "] was expected");
            }
            float[] all = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            int stride = shape.length == 2 ? (int) shape[1] : 1;
            float[] first = new float[batch];
            for (int i = 0; i < batch; i++) {
                first[i] = all[i * stride];
            }
            return first;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs the model and returns the chosen output whole, checking it has {@code perWindow} values per window. */
    private float[] forwardAll(float[] scaled, int batch, int perWindow) {
        lock.readLock().lock();
        try (NDManager manager = newManager()) {
            NDArray x = manager.create(scaled, new Shape(batch, steps, features));
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).get(outputIndex);
            if (y.getShape().size() != (long) batch * perWindow) {
                throw new IllegalStateException("model output has shape " + y.getShape() + " but [" + batch + ", "
                        + steps + ", " + features + "] was expected");
            }
            return y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    private NDManager newManager() {
        if (closed) {
            throw new IllegalStateException("predictor is closed");
        }
        return model.getNDManager().newSubManager();
    }

    private Prediction toPrediction(DeviceWindow dw, float raw) {
        SensorReading last = dw.readings().get(dw.readings().size() - 1);
        RiskThresholds t = sidecar.thresholds();
        PlattScaling cal = sidecar.calibration();
        double p;
        double rul = Double.NaN;
        boolean needed;
        double decision = t.decision();
        switch (sidecar.outputKind()) {
            case RUL -> {
                if (!Float.isFinite(raw)) {
                    throw new IllegalStateException("model output for device '" + dw.deviceId() + "' is " + raw
                            + ", not a remaining useful life");
                }
                rul = raw;
                double s = Math.max(1, sidecar.horizon() / 5.0);
                p = cal.probability((sidecar.horizon() - rul) / s);
                needed = rul <= sidecar.horizon();
                decision = cal.probability(0);
            }
            case LOGIT -> {
                p = Float.isNaN(raw) ? Double.NaN : cal.probability(raw);
                needed = t.maintenanceNeeded(p);
            }
            default -> {
                p = raw;
                if (p > 0 && p < 1 && !cal.equals(PlattScaling.IDENTITY)) {
                    p = cal.probability(Math.log(p) - Math.log1p(-p));
                }
                needed = t.maintenanceNeeded(p);
            }
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalStateException("model output for device '" + dw.deviceId() + "' is " + raw
                    + ", not a probability in [0, 1]; if the model outputs logits set \"output_kind\": \"logit\""
                    + " in model.json");
        }
        return new Prediction(dw.deviceId(), last.timestamp(), p, t.scale(decision).level(p, needed), needed, rul,
                sidecar.modelVersion());
    }

    /** Releases the TensorFlow session and its native memory; idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds a {@link SavedModelPredictor}; {@link #build()} may be called again for another instance. */
    public static final class Builder {
        private final Path modelDir;
        private SensorSchema schema = SensorSchema.industrialMotor();
        private ModelSidecar sidecar;
        private String signature;
        private int sequenceLength;
        private String modelVersion;
        private int intraOpThreads;
        private int interOpThreads;
        private FeatureEncoder encoder;

        private Builder(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
        }

        /**
         * @param schema schema of the readings; default {@link SensorSchema#industrialMotor()}
         * @return this
         */
        public Builder schema(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * @param sidecar used instead of the folder's {@code model.json}; default: read it
         * @return this
         */
        public Builder sidecar(ModelSidecar sidecar) {
            this.sidecar = Objects.requireNonNull(sidecar, "sidecar");
            return this;
        }

        /**
         * @param key signature to serve; default the sidecar's, else {@value ModelSidecar#DEFAULT_SIGNATURE}
         * @return this
         */
        public Builder signature(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("signature must not be blank, but was '" + key + "'");
            }
            this.signature = key;
            return this;
        }

        /**
         * Window length when there is no {@code model.json} and the signature leaves time as -1.
         *
         * @param steps readings per window
         * @return this
         */
        public Builder sequenceLength(int steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("sequenceLength must be > 0, but was " + steps);
            }
            this.sequenceLength = steps;
            return this;
        }

        /**
         * @param version model version in predictions when there is no {@code model.json}; default the folder name
         * @return this
         */
        public Builder modelVersion(String version) {
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException("modelVersion must not be blank, but was '" + version + "'");
            }
            this.modelVersion = version;
            return this;
        }

        /**
         * Replaces the default input encoding (model.json's channels and scaler) for a model whose
         * trainer derived its own features; {@code model.json}'s channels then only name the features,
         * and their count must equal the encoder's.
         *
         * @param encoder turns raw readings into the model's scaled input
         * @return this
         */
        public Builder encoder(FeatureEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            return this;
        }

        /**
         * Sizes the TensorFlow session's thread pools. By default DJL's settings apply (the system
         * properties {@code ai.djl.tensorflow.num_intraop_threads} and {@code ..._interop_threads},
         * else TensorFlow's choice: one thread per core for each pool).
         *
         * @param intraOp threads that one op (a MatMul) may use, >= 1
         * @param interOp ops that may run at once, >= 1
         * @return this
         */
        public Builder threads(int intraOp, int interOp) {
            if (intraOp < 1 || interOp < 1) {
                throw new IllegalArgumentException("thread counts must be >= 1, but were intraOp " + intraOp
                        + ", interOp " + interOp);
            }
            this.intraOpThreads = intraOp;
            this.interOpThreads = interOp;
            return this;
        }

        /**
         * Checks the folder, signature and shapes, then loads the model into DJL's TensorFlow engine.
         *
         * @return the predictor
         * @throws IOException              on a read error
         * @throws IllegalArgumentException if the folder is not a SavedModel, the signature is missing,
         *                                  the input's type or shape does not match, or {@code model.json} is bad
         * @throws IllegalStateException    if the TensorFlow natives cannot be provided
         */
        public SavedModelPredictor build() throws IOException {
            Path dir = modelDir.toAbsolutePath();
            MetaGraphDef meta = ServingSignature.readServingGraph(dir);
            ModelSidecar side = sidecar != null ? sidecar : ModelSidecar.read(dir).orElse(null);
            String key = signature != null ? signature : side != null ? side.signature() : ModelSidecar.DEFAULT_SIGNATURE;
            SignatureDef sig = meta.getSignatureDefMap().get(key);
            if (sig == null) {
                throw new IllegalArgumentException("SavedModel " + dir + " has no signature '" + key
                        + "'; it has " + new TreeSet<>(meta.getSignatureDefMap().keySet()));
            }
            if (sig.getInputsCount() != 1) {
                throw new IllegalArgumentException("signature '" + key + "' of " + dir + " must have exactly one input"
                        + " [batch, time, features], but has " + new TreeSet<>(sig.getInputsMap().keySet()));
            }
            Map.Entry<String, TensorInfo> input = sig.getInputsMap().entrySet().iterator().next();
            if (side != null && side.input().isPresent() && !side.input().get().equals(input.getKey())) {
                throw new IllegalArgumentException("model.json names input '" + side.input().get() + "' but signature '"
                        + key + "' has input '" + input.getKey() + "'");
            }
            TensorShapeProto shape = input.getValue().getTensorShape();
            if (side == null) {
                side = derive(dir, key, shape);
            }
            ServingSignature.checkInput(key, input.getKey(), input.getValue(), side);
            int outputIndex = ServingSignature.outputIndex(key, sig, side.output());
            ServingSignature.checkOutput(key, sig, outputIndex, side);
            FeatureEncoder enc = encoder != null ? encoder
                    : side.features().isPresent() ? DerivedEncoder.of(side.features().get(), schema)
                    : new ChannelEncoder(schema, side.channels(), side.scaler());
            if (enc.featureCount() != side.channels().size()) {
                throw new IllegalArgumentException("the encoder gives " + enc.featureCount() + " features but model.json"
                        + " names " + side.channels().size() + ": " + side.channels());
            }
            TensorFlowNatives.engine();
            Model model = Model.newInstance(dir.getFileName().toString(), Device.cpu(), TensorFlowNatives.ENGINE);
            try {
                Map<String, Object> options = new HashMap<>();
                options.put("Tags", new String[] {SERVE_TAG});
                options.put("SignatureDefKey", key);
                if (intraOpThreads > 0) {
                    options.put("ConfigProto", ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOpThreads)
                            .setInterOpParallelismThreads(interOpThreads).build());
                }
                model.load(dir, null, options);
                return new SavedModelPredictor(schema, side, enc, outputIndex, model);
            } catch (MalformedModelException | RuntimeException e) {
                model.close();
                throw new IllegalArgumentException("TensorFlow cannot load SavedModel " + dir + ": " + e.getMessage(), e);
            }
        }

        private ModelSidecar derive(Path dir, String key, TensorShapeProto shape) {
            int steps = sequenceLength;
            if (steps == 0 && !shape.getUnknownRank() && shape.getDimCount() == 3 && shape.getDim(1).getSize() > 0) {
                steps = (int) shape.getDim(1).getSize();
            }
            if (steps == 0) {
                throw new IllegalArgumentException("SavedModel " + dir + " has no model.json and signature '" + key
                        + "' leaves the window length open; give sequenceLength(...) or a model.json");
            }
            List<String> channels = new ArrayList<>();
            schema.channels().forEach(c -> channels.add(c.name()));
            String version = modelVersion != null ? modelVersion : dir.getFileName().toString();
            return ModelSidecar.of(version, channels, steps).withThresholds(RiskThresholds.DEFAULT);
        }
    }

}
