/**
 * Micrometer binders over iotpm's own metrics snapshots, in the manner of Micrometer's
 * {@code CaffeineCacheMetrics}: the components never depend on Micrometer; each binder registers function-based
 * meters that read a component's snapshot record when the registry is scraped.
 * {@link io.iotpm.micrometer.IotpmMetrics} binds a whole system; {@link io.iotpm.micrometer.SnapshotMeters} is the
 * extension point for any other snapshot record (Kafka, MQTT, a host's own).
 */
package io.iotpm.micrometer;
