/**
 * Training jobs started through the API. {@link io.iotpm.api.training.ModelTrainer} is the one-method SPI
 * the server calls for {@code POST /api/model/train}, reporting through its {@code Progress};
 * {@link io.iotpm.api.training.LstmTrainer} adapts {@code iotpm-ml}'s LSTM to it (an optional dependency).
 */
package io.iotpm.api.training;
