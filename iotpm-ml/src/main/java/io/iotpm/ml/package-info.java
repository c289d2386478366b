/**
 * Machine learning for iotpm: {@link io.iotpm.ml.LstmPredictor} learns failures (or remaining useful
 * life) from sensor history labelled by failure events ({@link io.iotpm.ml.TrainingSet}), with DJL's
 * PyTorch engine; {@link io.iotpm.ml.EnsemblePredictor} averages several seeded LSTMs;
 * {@link io.iotpm.ml.Predictors} loads saved models; {@link io.iotpm.ml.Evaluation}
 * computes classification and RUL metrics.
 */
package io.iotpm.ml;
