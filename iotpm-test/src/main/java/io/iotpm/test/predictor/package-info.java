/**
 * {@link io.iotpm.test.predictor.PredictorContract}: the suite every
 * {@link io.iotpm.core.Predictor} passes. A model's test class extends it and says how to make one
 * small trained predictor; the suite feeds it windows of its own schema and checks the SPI's promises.
 */
package io.iotpm.test.predictor;
