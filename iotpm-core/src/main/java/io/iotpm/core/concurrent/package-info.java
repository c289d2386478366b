/**
 * Thread plumbing the library's components share: {@link io.iotpm.core.concurrent.SingleThreadScheduler},
 * a scheduler whose stop waits for its thread, so {@code close()} leaves no thread behind.
 */
package io.iotpm.core.concurrent;
