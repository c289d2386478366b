/**
 * Streaming between the parts of a monitoring system.
 *
 * <p>{@link io.iotpm.core.stream.StreamHub} publishes typed, device-keyed messages on
 * {@link io.iotpm.core.stream.Topic}s to subscribers with bounded queues and an
 * {@link io.iotpm.core.stream.Overflow} policy; {@link io.iotpm.core.stream.StreamHub#inMemory()}
 * returns the {@link io.iotpm.core.stream.InMemoryHubBuilder} of the in-process hub, whose lanes and
 * lock-free rings are package-private. {@link io.iotpm.core.stream.FleetStreamer} drives simulators
 * onto a hub and {@link io.iotpm.core.stream.HistoryReplay} replays stored history at a speed factor,
 * both paced by a {@link io.iotpm.core.stream.TimeSource}.
 */
package io.iotpm.core.stream;
