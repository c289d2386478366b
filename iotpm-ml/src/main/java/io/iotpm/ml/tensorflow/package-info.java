/**
 * TensorFlow interop, optional: serve SavedModels ({@link io.iotpm.ml.tensorflow.SavedModelPredictor})
 * and export an LSTM as one ({@link io.iotpm.ml.tensorflow.SavedModelExporter}) through DJL's
 * TensorFlow engine, whose natives {@link io.iotpm.ml.tensorflow.TensorFlowNatives} provides offline.
 * Needs {@code ai.djl.tensorflow:tensorflow-engine} and {@code org.tensorflow:tensorflow-core-native}
 * (classifier {@code linux-x86_64}) on the class path; the rest of {@code iotpm-ml} does not.
 */
package io.iotpm.ml.tensorflow;
