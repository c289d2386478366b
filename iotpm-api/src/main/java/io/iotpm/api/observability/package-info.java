/**
 * What a platform watches: {@link io.iotpm.api.observability.Observability} configures the Prometheus
 * {@code /metrics} endpoint (admin token on the API port, or an unauthenticated management port that is off by
 * default) and the readiness probe's {@link io.iotpm.api.observability.HealthCheck}s (storage, stream hub, model,
 * plus any a host registers, e.g. Kafka or MQTT).
 */
package io.iotpm.api.observability;
