package io.iotpm.ml.tensorflow;

import io.iotpm.core.SensorSchema;
import io.iotpm.ml.internal.FeaturePipeline;
import io.iotpm.ml.network.DerivedFeatures;

/** The {@link FeatureEncoder} of a model whose {@code model.json} carries the LSTM's {@link DerivedFeatures}. */
final class DerivedEncoder implements FeatureEncoder {

    private final FeaturePipeline pipeline;

    private DerivedEncoder(FeaturePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * @throws IllegalArgumentException if the schema lacks a channel the features need (named)
     */
    static DerivedEncoder of(DerivedFeatures f, SensorSchema schema) {
        return new DerivedEncoder(FeaturePipeline.of(schema, f.channels(), f.vibrationMagnitude(), f.electricalPower(),
                f.rollingWindow(), f.slopeWindow(), f.smoothing(), f.offset(), f.factor()));
    }

    @Override
    public int featureCount() {
        return pipeline.featureCount();
    }

    @Override
    public void encode(double[] raw, int steps, float[] out, int at) {
        pipeline.unscaled(raw, steps, out, at);
        pipeline.scale(out, at, steps);
    }
}
