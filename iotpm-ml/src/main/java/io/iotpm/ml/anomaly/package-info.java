/**
 * Anomaly detection without failure labels: an LSTM autoencoder learns to reconstruct windows of
 * normal operation; its reconstruction error per window is the anomaly score, split per channel.
 * {@link io.iotpm.ml.anomaly.AnomalyDetector} is the public facade (a {@link io.iotpm.core.Predictor});
 * the network, training and model folder are package-private parts behind it.
 */
package io.iotpm.ml.anomaly;
