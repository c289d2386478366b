/**
 * Simulated machines for demos, tests and training data.
 *
 * <p>{@link io.iotpm.core.sim.SensorSimulator} simulates one device with plausible physics, wear and
 * {@link io.iotpm.core.sim.FailureMode}s; {@link io.iotpm.core.sim.Fleet} runs many in lock step.
 * Every random draw comes from the seed, so runs repeat exactly.
 */
package io.iotpm.core.sim;
