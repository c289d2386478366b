package io.iotpm.ml.tensorflow;

import io.iotpm.ml.anomaly.AnomalyCalibration;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmNetwork;
import io.iotpm.ml.network.PlattScaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a SavedModel needs beside its graph to serve {@link io.iotpm.core.Prediction}s: the
 * {@code model.json} file in the SavedModel folder. It names the input channels in model order, the
 * window length, the scaler fitted on the training data, the risk thresholds, and optionally which
 * signature, input and output to use.
 *
 * <pre>{@code
 * {
 *   "model_version": "lstm-2026-11-25",
 *   "channels": ["temperature", "vibration_x", ...],
 *   "sequence_length": 60,
 *   "scaler": {"type": "min_max", "min": [...], "max": [...]},      // or z_score with mean/std, or none
 *   "thresholds": {"medium": 0.3, "high": 0.5, "critical": 0.8, "decision": 0.5, "maintenance_level": "high"},
 *   "signature": "serving_default", "input": "window", "output": "failure_probability",
 *   "output_kind": "probability"                  // or "logit", or "rul" with "horizon": 10, or
 *                                                 // "reconstruction" with "anomaly": {"threshold": t, "healthy_median": m}
 *   "calibration": {"method": "platt", "a": 0.61, "b": -1.3},       // optional
 *   "min_history": 30                              // optional: shorter windows are padded at the front
 * }
 * }</pre>
 *
 * Unknown fields are ignored, so a richer {@code model.json} (hyper-parameters, metrics) reads too.
 *
 * @param modelVersion   goes into every prediction
 * @param channels       input channels, in the model's feature order
 * @param sequenceLength time steps per window
 * @param scaler         applied to raw readings
 * @param thresholds     risk thresholds
 * @param signature      signature key in the SavedModel
 * @param input          input name in the signature, empty to take its only input
 * @param output         output name in the signature, empty to take its only output
 * @param outputKind     whether the output is a probability, a logit (sigmoid applied here) or a
 *                       remaining useful life in steps
 * @param horizon        for a {@link OutputKind#RUL} output, the steps ahead within which a failure
 *                       counts (maintenance is needed when the RUL is at most this); 0 otherwise
 * @param features       the trainer's feature pipeline, when the model takes derived features; the
 *                       channels then name its features and the scaler is none
 * @param calibration    Platt scaling applied to the output's score to give {@code maintenance_probability}
 *                       (the logit; for a probability output, its logit; for an RUL output, the failure
 *                       score); {@code "calibration": {"method": "platt", "a": ..., "b": ...}} in the JSON,
 *                       the identity when absent
 * @param anomaly        for a {@link OutputKind#RECONSTRUCTION} output, the score threshold and the
 *                       calibration of its probability (JSON {@code "anomaly": {"threshold": t,
 *                       "healthy_median": m}}); empty otherwise
 * @param minHistory     the fewest readings a window may hold, in {@code [1, sequenceLength]}: a shorter
 *                       window is padded at the front with copies of its oldest reading, as the model
 *                       was trained ({@code "min_history"}, written only when below the sequence length);
 *                       0 reads as the sequence length
 */
public record ModelSidecar(String modelVersion, List<String> channels, int sequenceLength, Scaler scaler,
                           RiskThresholds thresholds, String signature, Optional<String> input,
                           Optional<String> output, OutputKind outputKind, int horizon,
                           Optional<DerivedFeatures> features, PlattScaling calibration,
                           Optional<AnomalyCalibration> anomaly, int minHistory) {

    /** File name of the sidecar inside a SavedModel folder. */
    public static final String FILE_NAME = "model.json";
    /** The signature key TensorFlow and Keras use by default. */
    public static final String DEFAULT_SIGNATURE = "serving_default";


    /** What the model's output means. */
    public enum OutputKind {
        /** The output is already a probability in [0, 1] (a sigmoid head). */
        PROBABILITY,
        /** The output is a logit; the predictor applies the sigmoid. */
        LOGIT,
        /**
         * The output is the remaining useful life in time steps. The failure probability is then the
         * score {@code sigmoid((horizon - rul) / max(1, horizon / 5))}, 0.5 at the horizon, as the
         * PyTorch LSTM's RUL task computes it; it orders devices like the RUL, it is not calibrated.
         */
        RUL,
        /**
         * The output is the reconstruction {@code [batch, time, features]} of the scaled input (an
         * autoencoder). The score is the mean squared difference; {@code maintenanceNeeded} is
         * {@code score >= anomaly.threshold}; the probability and risk come from {@link AnomalyCalibration}
         * and the thresholds' {@code medium} and {@code critical}, and every channel's share of
         * {@code score / threshold} is a contribution, as {@code AnomalyDetector} reports them.
         */
        RECONSTRUCTION
    }

    /** @throws IllegalArgumentException on a bad field, naming it */
    public ModelSidecar {
        Objects.requireNonNull(modelVersion, "modelVersion");
        channels = List.copyOf(channels);
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(outputKind, "outputKind");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(anomaly, "anomaly");
        if (modelVersion.isBlank()) {
            throw new IllegalArgumentException("model_version must not be blank");
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels must not be empty");
        }
        if (new HashSet<>(channels).size() != channels.size()) {
            throw new IllegalArgumentException("channels must be distinct, but were " + channels);
        }
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("sequence_length must be > 0, but was " + sequenceLength);
        }
        if (minHistory == 0) {
            minHistory = sequenceLength;
        }
        if (minHistory < 1 || minHistory > sequenceLength) {
            throw new IllegalArgumentException("min_history must be in [1, sequence_length " + sequenceLength
                    + "], but was " + minHistory);
        }
        if (scaler.kind() != Scaler.Kind.NONE && scaler.size() != channels.size()) {
            throw new IllegalArgumentException("scaler has " + scaler.size() + " features but there are "
                    + channels.size() + " channels");
        }
        if (signature.isBlank()) {
            throw new IllegalArgumentException("signature must not be blank");
        }
        if (features.isPresent() && features.get().featureCount() != channels.size()) {
            throw new IllegalArgumentException("features make " + features.get().featureCount()
                    + " features but channels names " + channels.size());
        }
        if (features.isPresent() && scaler.kind() != Scaler.Kind.NONE) {
            throw new IllegalArgumentException("a scaler and derived features (which carry their own) cannot be combined");
        }
        if (outputKind == OutputKind.RUL ? horizon <= 0 : horizon != 0) {
            throw new IllegalArgumentException("horizon must be > 0 for a rul output and absent otherwise, but was "
                    + horizon + " with output_kind " + outputKind.name().toLowerCase(Locale.ROOT));
        }
        if ((outputKind == OutputKind.RECONSTRUCTION) != anomaly.isPresent()) {
            throw new IllegalArgumentException("anomaly (threshold, healthy_median) must be given for a reconstruction"
                    + " output and only then, but output_kind is " + outputKind.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A sidecar without anomaly calibration (any output kind but {@link OutputKind#RECONSTRUCTION}).
     *
     * @param modelVersion   goes into every prediction
     * @param channels       input channels, in the model's feature order
     * @param sequenceLength time steps per window
     * @param scaler         applied to raw readings
     * @param thresholds     risk thresholds
     * @param signature      signature key
     * @param input          input name, empty for the only one
     * @param output         output name, empty for the only one
     * @param outputKind     what the output means
     * @param horizon        for an RUL output, its horizon; 0 otherwise
     * @param features       derived features, if any
     */
    public ModelSidecar(String modelVersion, List<String> channels, int sequenceLength, Scaler scaler,
                        RiskThresholds thresholds, String signature, Optional<String> input, Optional<String> output,
                        OutputKind outputKind, int horizon, Optional<DerivedFeatures> features) {
        this(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output, outputKind, horizon,
                features, PlattScaling.IDENTITY, Optional.empty(), 0);
    }

    /**
     * @param modelVersion   goes into every prediction
     * @param channels       input channels in model order
     * @param sequenceLength time steps per window
     * @return a sidecar with no scaler, default thresholds, {@value #DEFAULT_SIGNATURE} and a probability output
     */
    public static ModelSidecar of(String modelVersion, List<String> channels, int sequenceLength) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, Scaler.none(), RiskThresholds.DEFAULT,
                DEFAULT_SIGNATURE, Optional.empty(), Optional.empty(), OutputKind.PROBABILITY, 0, Optional.empty(),
                PlattScaling.IDENTITY, Optional.empty(), 0);
    }

    /**
     * @param c Platt scaling the predictor applies to the output's score (a logit, the logit of a
     *          probability, or an RUL's failure score)
     * @return a copy with it
     */
    public ModelSidecar withCalibration(PlattScaling c) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, features, c, anomaly, minHistory);
    }

    /** @param s the scaler @return a copy with it */
    public ModelSidecar withScaler(Scaler s) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, s, thresholds, signature, input, output, outputKind,
                horizon, features, calibration, anomaly, minHistory);
    }

    /** @param t the thresholds @return a copy with them */
    public ModelSidecar withThresholds(RiskThresholds t) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, t, signature, input, output, outputKind,
                horizon, features, calibration, anomaly, minHistory);
    }

    /**
     * @param signatureKey signature key
     * @param inputName    input name
     * @param outputName   output name
     * @return a copy naming them
     */
    public ModelSidecar withSignature(String signatureKey, String inputName, String outputName) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signatureKey,
                Optional.of(inputName), Optional.of(outputName), outputKind, horizon, features, calibration, anomaly, minHistory);
    }

    /** @param k a probability or logit output kind @return a copy with it */
    public ModelSidecar withOutputKind(OutputKind k) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output, k, 0,
                features, calibration, anomaly, minHistory);
    }

    /**
     * @param steps the horizon in time steps
     * @return a copy whose output is a remaining useful life
     */
    public ModelSidecar withRulOutput(int steps) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                OutputKind.RUL, steps, features, calibration, anomaly, minHistory);
    }

    /**
     * @param calibration the score threshold and its calibration
     * @return a copy whose output is the reconstruction of its input (an autoencoder)
     */
    public ModelSidecar withReconstructionOutput(AnomalyCalibration calibration) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                OutputKind.RECONSTRUCTION, 0, features, this.calibration, Optional.of(calibration), minHistory);
    }

    /**
     * @param f the trainer's feature pipeline
     * @return a copy whose input is those derived features
     */
    public ModelSidecar withFeatures(DerivedFeatures f) {
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, Optional.of(f), calibration, anomaly, minHistory);
    }

    /**
     * @param readings the fewest readings a window may hold, in {@code [1, sequenceLength]}
     * @return a copy that pads shorter windows at the front with their oldest reading
     */
    public ModelSidecar withMinHistory(int readings) {
        if (readings < 1) {
            throw new IllegalArgumentException("min_history must be >= 1, but was " + readings);
        }
        return new ModelSidecar(modelVersion, channels, sequenceLength, scaler, thresholds, signature, input, output,
                outputKind, horizon, features, calibration, anomaly, readings);
    }

    /**
     * The sidecar of a trained LSTM's network ({@code LstmPredictor.network()}): its version, feature
     * recipe, window length and minimum history, a probability output (classification) or an RUL output with its horizon.
     *
     * @param network    a trained network
     * @param thresholds its risk thresholds and decision threshold
     * @return the sidecar to export its {@link LstmNetwork#weights()} with
     */
    public static ModelSidecar forLstm(LstmNetwork network, RiskThresholds thresholds) {
        ModelSidecar s = of(network.version(), network.featureNames(), network.sequenceLength())
                .withFeatures(network.features())
                .withThresholds(thresholds)
                .withCalibration(network.calibration())
                .withMinHistory(network.minHistory());
        // A classifier's weights end in its logit; the predictor applies the calibration to it.
        return network.remainingUsefulLife() ? s.withRulOutput(network.horizon()) : s.withOutputKind(OutputKind.LOGIT);
    }

    /**
     * Reads {@code model.json} from a SavedModel folder.
     *
     * @param modelDir the folder
     * @return the sidecar, or empty if the folder has no {@value #FILE_NAME}
     * @throws IOException              on a read error
     * @throws IllegalArgumentException if the file is not valid JSON or a field is missing or bad (named)
     */
    public static Optional<ModelSidecar> read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param json the text of a {@code model.json}
     * @return the sidecar
     * @throws IllegalArgumentException if it is not valid JSON or a field is missing or bad (named)
     */
    public static ModelSidecar parse(String json) {
        return SidecarJson.parse(json);
    }

    /** @return this sidecar as {@code model.json} text */
    public String toJson() {
        return SidecarJson.write(this);
    }

    /**
     * Writes {@value #FILE_NAME} into a folder.
     *
     * @param modelDir the folder
     * @throws IOException on a write error
     */
    public void write(Path modelDir) throws IOException {
        Files.writeString(modelDir.resolve(FILE_NAME), toJson(), StandardCharsets.UTF_8);
    }
}
