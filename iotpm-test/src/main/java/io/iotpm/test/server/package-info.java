/**
 * Real servers for tests, started from the Debian packages on the machine: {@link
 * io.iotpm.test.server.PostgresServer} runs {@code initdb} and {@code pg_ctl} in a temporary folder
 * on a free port and removes everything on close. No Docker and no mock: a backend's tests talk to
 * the same server it meets in production. Under {@code CI=true} a missing binary fails the test;
 * elsewhere the test is skipped with a message naming the package to install.
 */
package io.iotpm.test.server;
