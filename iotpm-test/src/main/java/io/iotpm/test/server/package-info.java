/**
 * Real servers for tests, started from the machine's own binaries (no Docker, no mocks): each
 * fixture runs one server on a free port in a temporary folder and deletes it on close.
 * {@link io.iotpm.test.server.RedisServer} runs Debian's {@code redis-server}. A missing binary
 * skips the test with what to install, or fails it under {@code CI=true}.
 */
package io.iotpm.test.server;
