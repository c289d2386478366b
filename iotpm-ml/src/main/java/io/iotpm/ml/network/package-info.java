/**
 * A trained LSTM in engine-neutral form, for engines other than the one that trained it:
 * {@link io.iotpm.ml.network.LstmNetwork} (what {@code LstmPredictor.network()} hands out) holds the
 * {@link io.iotpm.ml.network.LstmWeights} arrays in PyTorch's layout, the
 * {@link io.iotpm.ml.network.DerivedFeatures} recipe from raw readings to the scaled input, and the
 * thresholds. Plain-Java reference forward passes document the layout executably.
 */
package io.iotpm.ml.network;
