/**
 * Not API: types shared between the engines of {@code iotpm-ml} (the PyTorch-trained LSTM and the
 * TensorFlow exporter). They may change in any release.
 */
package io.iotpm.ml.internal;
