/**
 * {@link io.iotpm.test.stream.StreamHubContract}: the suite every
 * {@link io.iotpm.core.stream.StreamHub} passes. An implementation's test class extends it and
 * says how to create a hub and how its threads are named, so the suite can check none leak.
 * {@link io.iotpm.test.stream.Disorder} makes a stream late, duplicated or shuffled, as brokers
 * and gateways deliver it.
 */
package io.iotpm.test.stream;
