package io.iotpm.ml.tensorflow;

import io.iotpm.core.SensorSchema;

import java.util.List;

/** The default {@link FeatureEncoder}: {@code model.json}'s channels, in its order, scaled. */
final class ChannelEncoder implements FeatureEncoder {

    private final int[] index;
    private final int width;
    private final Scaler scaler;

    ChannelEncoder(SensorSchema schema, List<String> channels, Scaler scaler) {
        this.index = new int[channels.size()];
        for (int i = 0; i < index.length; i++) {
            if (!schema.has(channels.get(i))) {
                throw new IllegalArgumentException("model channel '" + channels.get(i) + "' is not in schema '"
                        + schema.name() + "'");
            }
            index[i] = schema.requireIndex(channels.get(i));
        }
        this.width = schema.size();
        this.scaler = scaler;
    }

    @Override
    public int featureCount() {
        return index.length;
    }

    @Override
    public void encode(double[] raw, int steps, float[] out, int offset) {
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < index.length; f++) {
                out[offset + t * index.length + f] = (float) scaler.apply(f, raw[t * width + index[f]]);
            }
        }
    }
}
