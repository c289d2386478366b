package io.iotpm.ml.tensorflow;

/**
 * Turns the raw readings of a window into the scaled input a model was trained on. The default,
 * built from {@code model.json}, selects its channels and applies its {@link Scaler}; a model whose
 * trainer derived features (composite channels, rolling statistics) needs that trainer's encoder,
 * given with {@link SavedModelPredictor.Builder#encoder(FeatureEncoder)}. Implementations must be
 * safe for concurrent use.
 */
public interface FeatureEncoder {

    /** @return features per time step, the last dimension of the model's input */
    int featureCount();

    /**
     * Encodes one window.
     *
     * @param raw    {@code steps × schema.size()} raw values, row-major, oldest first, all finite
     * @param steps  time steps
     * @param out    receives {@code steps × featureCount()} scaled values, row-major
     * @param offset where in {@code out} to start
     */
    void encode(double[] raw, int steps, float[] out, int offset);
}
