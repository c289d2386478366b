package io.iotpm.alerts;

import java.util.List;

/**
 * Counters of an {@link AlertManager} since it was built.
 *
 * @param readings     readings processed
 * @param predictions  predictions processed
 * @param fired        alerts raised
 * @param updated      matches that updated an open alert instead of raising a new one
 * @param resolved     alerts resolved (any reason)
 * @param escalated    escalations
 * @param suppressed   notifications held back by cooldown, silence or inhibition
 * @param ruleErrors   rule evaluations that threw (the rule was skipped for that input)
 * @param notifiers    per-notifier delivery counters, in registration order
 * @param lateReadings of {@code readings}, those older than their device's newest or repeating it
 *                     (late or delivered twice), which no rule evaluated
 */
public record AlertStats(long readings, long predictions, long fired, long updated, long resolved, long escalated,
                         long suppressed, long ruleErrors, List<NotifierStats> notifiers, long lateReadings) {

    /**
     * Delivery counters of one notifier (or callback).
     *
     * @param name     the notifier's name
     * @param sent     notifications delivered
     * @param failed   notifications given up after the last retry
     * @param retries  extra attempts made after a failure
     * @param dropped  notifications dropped because the queue was full
     * @param queued   notifications waiting now
     */
    public record NotifierStats(String name, long sent, long failed, long retries, long dropped, int queued) {
    }
}
