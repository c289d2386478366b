package io.iotpm.ml.network;

import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The feature recipe of a trained LSTM: selected channels, composite channels (vibration
 * magnitude, electrical power), exponential smoothing, rolling mean/std and slope windows, and the fitted scaler
 * ({@code (x - offset) * factor}). With it, another engine (which writes it beside its exported
 * model) computes the same input the PyTorch LSTM computes, from raw readings.
 *
 * @param channels           raw channels used as base columns, in order
 * @param vibrationMagnitude whether the vibration magnitude column is added
 * @param electricalPower    whether the electrical power column is added
 * @param rollingWindow      rolling mean/std window in steps, 0 for none
 * @param slopeWindow        slope window in steps, 0 for none
 * @param smoothing          factor {@code α} of the causal exponential moving average that replaces every base
 *                           column inside the window ({@code s₀ = x₀, sₜ = α·xₜ + (1 - α)·sₜ₋₁}), in
 *                           {@code (0, 1)}, or 0 for none
 * @param offset             per feature, subtracted
 * @param factor             per feature, multiplied after the offset
 */
public record DerivedFeatures(List<String> channels, boolean vibrationMagnitude, boolean electricalPower,
                              int rollingWindow, int slopeWindow, double smoothing, float[] offset, float[] factor) {

    /** @throws IllegalArgumentException on a bad window, smoothing factor or scaler size */
    public DerivedFeatures {
        channels = List.copyOf(channels);
        offset = Objects.requireNonNull(offset, "offset").clone();
        factor = Objects.requireNonNull(factor, "factor").clone();
        if (rollingWindow < 0 || rollingWindow == 1 || slopeWindow < 0 || slopeWindow == 1) {
            throw new IllegalArgumentException("features.rollingWindow and slopeWindow must be 0 (off) or >= 2, but were "
                    + rollingWindow + " and " + slopeWindow);
        }
        if (!(smoothing == 0 || (smoothing > 0 && smoothing < 1))) {
            throw new IllegalArgumentException("features.smoothing must be 0 (off) or in (0, 1), but was " + smoothing);
        }
        int n = featureCount(channels.size(), vibrationMagnitude, electricalPower, rollingWindow, slopeWindow);
        if (offset.length != n || factor.length != n) {
            throw new IllegalArgumentException("features.offset/factor have " + offset.length + "/" + factor.length
                    + " entries, but the pipeline makes " + n + " features");
        }
    }

    /**
     * Features without smoothing.
     *
     * @param channels           raw channels used as base columns, in order
     * @param vibrationMagnitude whether the vibration magnitude column is added
     * @param electricalPower    whether the electrical power column is added
     * @param rollingWindow      rolling mean/std window in steps, 0 for none
     * @param slopeWindow        slope window in steps, 0 for none
     * @param offset             per feature, subtracted
     * @param factor             per feature, multiplied after the offset
     */
    public DerivedFeatures(List<String> channels, boolean vibrationMagnitude, boolean electricalPower,
                           int rollingWindow, int slopeWindow, float[] offset, float[] factor) {
        this(channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow, 0, offset, factor);
    }

    /** @return features per time step */
    public int featureCount() {
        return offset.length;
    }

    /**
     * Computes the scaled features of one window, the input of {@link LstmWeights#forward(float[][])}.
     *
     * @param schema schema of the raw readings
     * @param raw    {@code steps × schema.size()} raw values, row-major, oldest first
     * @param steps  time steps
     * @return {@code [steps][featureCount()]}
     * @throws IllegalArgumentException if the schema lacks a channel the features need (named)
     */
    public float[][] transform(SensorSchema schema, double[] raw, int steps) {
        return FeaturePipeline.of(schema, channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow,
                smoothing, offset, factor).transform(raw, steps);
    }

    private static int featureCount(int channels, boolean vib, boolean power, int rolling, int slope) {
        int base = channels + (vib ? 1 : 0) + (power ? 1 : 0);
        return base * (1 + (rolling > 0 ? 2 : 0) + (slope > 0 ? 1 : 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DerivedFeatures d && d.channels.equals(channels) && d.vibrationMagnitude == vibrationMagnitude
                && d.electricalPower == electricalPower && d.rollingWindow == rollingWindow
                && d.slopeWindow == slopeWindow && Double.compare(d.smoothing, smoothing) == 0 && Arrays.equals(d.offset, offset) && Arrays.equals(d.factor, factor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow, smoothing)
                + 31 * Arrays.hashCode(offset) + 17 * Arrays.hashCode(factor);
    }

    @Override
    public String toString() {
        return "DerivedFeatures[" + channels + ", vibrationMagnitude=" + vibrationMagnitude + ", electricalPower="
                + electricalPower + ", smoothing=" + smoothing + ", rolling=" + rollingWindow + ", slope=" + slopeWindow + ", " + featureCount()
                + " features]";
    }
}
