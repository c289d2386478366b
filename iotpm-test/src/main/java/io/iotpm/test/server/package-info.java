/**
 * Real servers for tests, started from the Debian packages on the machine (no Docker, no mocks): each
 * fixture runs one server on a free port in a temporary folder and deletes it on close.
 * {@link io.iotpm.test.server.PostgresServer} runs {@code initdb} and {@code pg_ctl};
 * {@link io.iotpm.test.server.RedisServer} runs {@code redis-server};
 * {@link io.iotpm.test.server.MosquittoServer} runs the {@code mosquitto} MQTT broker. A backend's tests talk to the
 * same server it meets in production. Under {@code CI=true} a missing binary fails the test;
 * elsewhere the test is skipped with a message naming the package to install.
 */
package io.iotpm.test.server;
