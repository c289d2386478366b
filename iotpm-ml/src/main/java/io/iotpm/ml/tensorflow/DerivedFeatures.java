package io.iotpm.ml.tensorflow;

import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The feature pipeline of a model trained by {@link io.iotpm.ml.LstmPredictor}, as written in the
 * {@code "features"} block of a SavedModel's {@code model.json}: selected channels, composite
 * channels (vibration magnitude, electrical power), rolling mean/std and slope windows, and the
 * fitted scaler ({@code (x - offset) * factor}). With it, {@link SavedModelPredictor} computes the
 * same input the PyTorch LSTM computes, from raw readings.
 *
 * @param channels           raw channels used as base columns, in order
 * @param vibrationMagnitude whether the vibration magnitude column is added
 * @param electricalPower    whether the electrical power column is added
 * @param rollingWindow      rolling mean/std window in steps, 0 for none
 * @param slopeWindow        slope window in steps, 0 for none
 * @param offset             per feature, subtracted
 * @param factor             per feature, multiplied after the offset
 */
public record DerivedFeatures(List<String> channels, boolean vibrationMagnitude, boolean electricalPower,
                              int rollingWindow, int slopeWindow, float[] offset, float[] factor) {

    /** @throws IllegalArgumentException on a bad window or scaler size */
    public DerivedFeatures {
        channels = List.copyOf(channels);
        offset = Objects.requireNonNull(offset, "offset").clone();
        factor = Objects.requireNonNull(factor, "factor").clone();
        if (rollingWindow < 0 || rollingWindow == 1 || slopeWindow < 0 || slopeWindow == 1) {
            throw new IllegalArgumentException("features.rollingWindow and slopeWindow must be 0 (off) or >= 2, but were "
                    + rollingWindow + " and " + slopeWindow);
        }
        int n = featureCount(channels.size(), vibrationMagnitude, electricalPower, rollingWindow, slopeWindow);
        if (offset.length != n || factor.length != n) {
            throw new IllegalArgumentException("features.offset/factor have " + offset.length + "/" + factor.length
                    + " entries, but the pipeline makes " + n + " features");
        }
    }

    /**
     * @param pipeline a fitted pipeline
     * @return its description
     * @throws IllegalArgumentException if it is not fitted
     */
    public static DerivedFeatures of(FeaturePipeline pipeline) {
        if (!pipeline.fitted()) {
            throw new IllegalArgumentException("the feature pipeline is not fitted");
        }
        List<String> names = Arrays.stream(pipeline.channels()).mapToObj(pipeline.schema()::channelName).toList();
        return new DerivedFeatures(names, pipeline.vibrationMagnitude(), pipeline.electricalPower(),
                pipeline.rollingWindow(), pipeline.slopeWindow(), pipeline.offset(), pipeline.factor());
    }

    /** @return features per time step */
    public int featureCount() {
        return offset.length;
    }

    /**
     * @param schema schema of the readings to encode
     * @return an encoder computing these features from readings of that schema
     * @throws IllegalArgumentException if the schema lacks a channel the features need (named)
     */
    public FeatureEncoder encoder(SensorSchema schema) {
        int[] idx = new int[channels.size()];
        for (int i = 0; i < idx.length; i++) {
            if (!schema.has(channels.get(i))) {
                throw new IllegalArgumentException("model channel '" + channels.get(i) + "' is not in schema '"
                        + schema.name() + "'");
            }
            idx[i] = schema.requireIndex(channels.get(i));
        }
        FeaturePipeline p = new FeaturePipeline(schema, idx, vibrationMagnitude, electricalPower, rollingWindow,
                slopeWindow, offset, factor);
        return new FeatureEncoder() {
            @Override
            public int featureCount() {
                return p.featureCount();
            }

            @Override
            public void encode(double[] raw, int steps, float[] out, int at) {
                p.unscaled(raw, steps, out, at);
                p.scale(out, at, steps);
            }
        };
    }

    private static int featureCount(int channels, boolean vib, boolean power, int rolling, int slope) {
        int base = channels + (vib ? 1 : 0) + (power ? 1 : 0);
        return base * (1 + (rolling > 0 ? 2 : 0) + (slope > 0 ? 1 : 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DerivedFeatures d && d.channels.equals(channels) && d.vibrationMagnitude == vibrationMagnitude
                && d.electricalPower == electricalPower && d.rollingWindow == rollingWindow
                && d.slopeWindow == slopeWindow && Arrays.equals(d.offset, offset) && Arrays.equals(d.factor, factor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow)
                + 31 * Arrays.hashCode(offset) + 17 * Arrays.hashCode(factor);
    }

    @Override
    public String toString() {
        return "DerivedFeatures[" + channels + ", vibrationMagnitude=" + vibrationMagnitude + ", electricalPower="
                + electricalPower + ", rolling=" + rollingWindow + ", slope=" + slopeWindow + ", " + featureCount()
                + " features]";
    }
}
