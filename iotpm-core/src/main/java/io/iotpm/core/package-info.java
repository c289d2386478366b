/**
 * The iotpm data model and service interfaces.
 *
 * <p>{@link io.iotpm.core.SensorSchema} describes a machine's channels, {@link io.iotpm.core.SensorReading}
 * holds one validated sample, {@link io.iotpm.core.DeviceEvent}s record failures and maintenance, and
 * {@link io.iotpm.core.Predictor} turns windows of readings into {@link io.iotpm.core.Prediction}s.
 */
package io.iotpm.core;
