package io.iotpm.alerts;

/**
 * The outcome of {@link AlertManager#sendTest} for one notifier.
 *
 * @param notifier the notifier's name
 * @param outcome  what happened
 * @param error    why it failed or was skipped (exception class and message, no stack trace), or {@code null}
 * @param millis   how long the send took, from queueing to its outcome
 */
public record NotifierTestResult(String notifier, Outcome outcome, String error, long millis) {

    /** What happened to the test notification. */
    public enum Outcome {
        /** The notifier's send returned normally. */
        SENT,
        /** The send threw, the queue was full, or no outcome arrived in time. */
        FAILED,
        /** The notifier does not take FIRED events (e.g. e-mail disabled), so nothing was sent. */
        SKIPPED
    }
}
