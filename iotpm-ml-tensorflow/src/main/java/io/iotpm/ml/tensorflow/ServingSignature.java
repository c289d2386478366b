package io.iotpm.ml.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a SavedModel's serving graph and checks a signature against what {@link SavedModelPredictor}
 * feeds it, so a model that cannot work fails at {@code build()} with the reason, not at the first
 * prediction.
 */
final class ServingSignature {

    private ServingSignature() {
    }

    static void checkInput(String key, String name, TensorInfo info, ModelSidecar side) {
        if (info.getDtype() != DataType.DT_FLOAT) {
            throw new IllegalArgumentException("input '" + name + "' of signature '" + key + "' is "
                    + info.getDtype() + " but float32 (DT_FLOAT) is needed");
        }
        TensorShapeProto shape = info.getTensorShape();
        if (shape.getUnknownRank()) {
            return;
        }
        long[] dims = shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        if (dims.length != 3) {
            throw new IllegalArgumentException("input '" + name + "' of signature '" + key + "' has shape "
                    + Arrays.toString(dims) + " but [batch, time, features] is needed");
        }
        if (dims[1] > 0 && dims[1] != side.sequenceLength()) {
            throw new IllegalArgumentException("input '" + name + "' of signature '" + key + "' takes " + dims[1]
                    + " time steps but the window length is " + side.sequenceLength());
        }
        if (dims[2] > 0 && dims[2] != side.channels().size()) {
            throw new IllegalArgumentException("input '" + name + "' of signature '" + key + "' takes " + dims[2]
                    + " features per time step but there are " + side.channels().size() + " channels "
                    + side.channels());
        }
    }

    /**
     * Checks the chosen output's shape against what the sidecar's output kind reads: {@code [batch]}
     * or {@code [batch, k]} for a probability, logit or RUL; {@code [batch, time, features]} matching
     * the input for a reconstruction. An unknown rank or -1 sizes pass (TensorFlow knows them only
     * when it runs).
     */
    static void checkOutput(String key, SignatureDef sig, int outputIndex, ModelSidecar side) {
        String name = new ArrayList<>(new TreeSet<>(sig.getOutputsMap().keySet())).get(outputIndex);
        TensorShapeProto shape = sig.getOutputsMap().get(name).getTensorShape();
        if (shape.getUnknownRank()) {
            return;
        }
        long[] dims = shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        String what = "output '" + name + "' of signature '" + key + "' has shape " + Arrays.toString(dims);
        if (side.outputKind() == ModelSidecar.OutputKind.RECONSTRUCTION) {
            if (dims.length != 3 || dims[1] > 0 && dims[1] != side.sequenceLength()
                    || dims[2] > 0 && dims[2] != side.channels().size()) {
                throw new IllegalArgumentException(what + ", but output_kind reconstruction needs [batch, "
                        + side.sequenceLength() + ", " + side.channels().size() + "] like the input");
            }
            return;
        }
        if (dims.length == 3) {
            throw new IllegalArgumentException(what + ", a sequence [batch, time, features]; if the model is an"
                    + " autoencoder set \"output_kind\": \"reconstruction\" and \"anomaly\": {\"threshold\": ...,"
                    + " \"healthy_median\": ...} in model.json, else serve an output of shape [batch, 1] or [batch]");
        }
        if (dims.length == 0 || dims.length > 2 || dims.length == 2 && dims[1] == 0) {
            throw new IllegalArgumentException(what + ", but output_kind "
                    + side.outputKind().name().toLowerCase(java.util.Locale.ROOT) + " needs [batch, 1] or [batch]");
        }
    }

    /** DJL returns the outputs sorted by name. */
    static int outputIndex(String key, SignatureDef sig, Optional<String> wanted) {
        List<String> names = new ArrayList<>(new TreeSet<>(sig.getOutputsMap().keySet()));
        if (wanted.isPresent()) {
            int i = names.indexOf(wanted.get());
            if (i < 0) {
                throw new IllegalArgumentException("signature '" + key + "' has no output '" + wanted.get()
                        + "'; it has " + names);
            }
            return i;
        }
        if (names.size() != 1) {
            throw new IllegalArgumentException("signature '" + key + "' has outputs " + names
                    + "; name the failure probability as \"output\" in model.json");
        }
        return 0;
    }

    static MetaGraphDef readServingGraph(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("SavedModel folder " + dir + " does not exist or is not a folder");
        }
        Path pb = dir.resolve("saved_model.pb");
        if (!Files.isRegularFile(pb)) {
            throw new IllegalArgumentException(dir + " is not a TensorFlow SavedModel: it has no saved_model.pb");
        }
        SavedModel saved;
        try (InputStream in = Files.newInputStream(pb)) {
            saved = SavedModel.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(pb + " is not a TensorFlow SavedModel: " + e.getMessage(), e);
        }
        List<List<String>> tagSets = new ArrayList<>();
        for (MetaGraphDef m : saved.getMetaGraphsList()) {
            List<String> tags = m.getMetaInfoDef().getTagsList();
            if (tags.contains(SavedModelPredictor.SERVE_TAG)) {
                return m;
            }
            tagSets.add(tags);
        }
        throw new IllegalArgumentException("SavedModel " + dir + " has no graph tagged '" + SavedModelPredictor.SERVE_TAG
                + "'; its tag sets are " + tagSets);
    }
}
