package io.iotpm.alerts;

/**
 * How long a {@link Dispatcher} waits before retrying a failed send: the base delay after the first
 * failure, doubled after each further one. The only place a notifier thread sleeps, so replacing it
 * with a shared backoff policy is one edit.
 */
final class RetryBackoff {

    private final long baseMillis;

    /** @param baseMillis wait after the first failure, {@code >= 0}; zero retries at once */
    RetryBackoff(long baseMillis) {
        this.baseMillis = baseMillis;
    }

    /**
     * @param failures failed attempts so far, {@code >= 1}
     * @return the wait before the next attempt: base, 2 x base, 4 x base, ...
     */
    long delayMillis(int failures) {
        // The shift is capped so a large attempt count cannot overflow into a negative wait.
        return baseMillis << Math.min(failures - 1, 20);
    }

    /** Sleeps {@link #delayMillis(int)} on the notifier's own thread, never on ingest. */
    void await(int failures) throws InterruptedException {
        long wait = delayMillis(failures);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
