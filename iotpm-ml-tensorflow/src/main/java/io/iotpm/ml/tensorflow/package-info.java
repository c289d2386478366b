/**
 * TensorFlow interop through DJL's TensorFlow engine: serve SavedModels, Keras-trained ones included
 * ({@link io.iotpm.ml.tensorflow.SavedModelPredictor}), and export a trained {@code LstmPredictor} as
 * one ({@link io.iotpm.ml.tensorflow.SavedModelExporter}), with a {@code model.json} sidecar
 * ({@link io.iotpm.ml.tensorflow.ModelSidecar}). {@link io.iotpm.ml.tensorflow.TensorFlowNatives}
 * provides libtensorflow offline from the {@code tensorflow-core-native} jar this module depends on.
 */
package io.iotpm.ml.tensorflow;
