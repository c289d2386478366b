/**
 * Not API: the feature pipeline shared by {@code iotpm-ml} (which trains and serves the LSTM on
 * PyTorch) and the engine modules built on it. No public method outside
 * this package takes or returns its types; they may change in any release.
 */
package io.iotpm.ml.internal;
