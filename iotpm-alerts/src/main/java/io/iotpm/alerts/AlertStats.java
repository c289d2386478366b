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
 * @param storeErrors  writes the {@link io.iotpm.alerts.store.AlertStore} refused during ingest and sweeps (each
 *                     change stayed in memory and is written again by a later sweep)
 * @param notifiers    per-notifier delivery counters, in registration order
 */
public record AlertStats(long readings, long predictions, long fired, long updated, long resolved, long escalated,
                         long suppressed, long ruleErrors, long storeErrors, List<NotifierStats> notifiers) {

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
