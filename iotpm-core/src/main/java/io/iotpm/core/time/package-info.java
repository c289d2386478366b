/**
 * Time and retry values shared by the library's long-lived parts.
 *
 * <p>{@link io.iotpm.core.time.Ticker} is the injectable nanosecond source for measuring elapsed time
 * (batch ages, retry deadlines); tests pass a ticker they move by hand. Wall-clock instants come from
 * {@link java.time.Clock} instead. {@link io.iotpm.core.time.Backoff} is the one retry schedule: an
 * immutable value whose {@code delay(attempt)} is a pure function, used by the pipeline's storage
 * retries and the alert dispatchers.
 */
package io.iotpm.core.time;
