package io.iotpm.ml.anomaly;

import io.iotpm.core.SensorSchema;
import io.iotpm.ml.network.DerivedFeatures;
import io.iotpm.ml.network.LstmWeights;

import java.util.List;
import java.util.Objects;

/**
 * A trained autoencoder in engine-neutral form, for another engine to serve (the TensorFlow module
 * exports it as a SavedModel). The network takes the scaled window {@code [T, C]} (scaled by
 * {@link #features()}), runs {@link #encoder()} over it, repeats the last hidden state for each of
 * the {@code T} steps, runs {@link #decoder()} over that and maps every step's hidden state back to
 * {@code C} values with {@code outputWeight [C, H]} and {@code outputBias [C]}. The score is the
 * mean squared difference between that reconstruction and the scaled input.
 *
 * @param version        the model version ({@code ae-…})
 * @param schema         the schema of the raw readings
 * @param sequenceLength time steps per window
 * @param features       the channels (all raw, in schema order) and their z-score offset/factor
 * @param encoder        the encoder LSTM (PyTorch gate order i, f, g, o)
 * @param decoder        the decoder LSTM
 * @param outputWeight   {@code [C, H]}, row-major
 * @param outputBias     {@code [C]}
 * @param calibration    threshold and probability of a score
 * @param mediumRisk     probability from which the risk is MEDIUM
 * @param criticalRisk   probability from which the risk is CRITICAL
 */
public record AutoencoderWeights(String version, SensorSchema schema, int sequenceLength, DerivedFeatures features,
                                 LstmWeights.LstmLayer encoder, LstmWeights.LstmLayer decoder, float[] outputWeight,
                                 float[] outputBias, AnomalyCalibration calibration, double mediumRisk,
                                 double criticalRisk) {

    /** @throws IllegalArgumentException if the sizes do not fit together */
    public AutoencoderWeights {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(calibration, "calibration");
        int c = features.featureCount();
        int h = decoder.hidden();
        if (outputWeight.length != c * h || outputBias.length != c) {
            throw new IllegalArgumentException("output layer must be [" + c + ", " + h + "] + [" + c + "], but has "
                    + outputWeight.length + " weights and " + outputBias.length + " biases");
        }
    }

    /** @return the channel names, in the network's order */
    public List<String> channels() {
        return features.channels();
    }
}
