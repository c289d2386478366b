package io.iotpm.alerts;

import io.iotpm.core.metrics.AlertCounts;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of an {@link AlertManager} since it was built.
 *
 * @param readings           readings processed
 * @param predictions        predictions processed
 * @param fired              alerts raised
 * @param updated            matches that updated an open alert instead of raising a new one
 * @param resolved           alerts resolved (any reason)
 * @param escalated          escalations
 * @param suppressed         notifications held back by cooldown, silence or inhibition
 * @param ruleErrors         rule evaluations that threw (the rule was skipped for that input)
 * @param storeErrors        writes the {@link io.iotpm.alerts.store.AlertStore} refused during ingest and sweeps
 *                           (each change stayed in memory and is written again by a later sweep)
 * @param notifiers          per-notifier delivery counters, in registration order
 * @param firedByPriority    {@code fired} split by the priority at raise time; every priority present
 * @param resolvedByPriority {@code resolved} split by the priority at resolution; every priority present
 * @param lateReadings       of {@code readings}, those older than their device's newest or repeating it
 *                           (late or delivered twice), which no rule evaluated
 */
public record AlertStats(long readings, long predictions, long fired, long updated, long resolved, long escalated,
                         long suppressed, long ruleErrors, long storeErrors, List<NotifierStats> notifiers,
                         Map<Priority, Long> firedByPriority, Map<Priority, Long> resolvedByPriority,
                         long lateReadings) {

    /** Copies the list and the maps, so the snapshot stays as taken. */
    public AlertStats {
        notifiers = List.copyOf(notifiers);
        firedByPriority = complete(firedByPriority);
        resolvedByPriority = complete(resolvedByPriority);
    }

    /**
     * The counters without store errors, the split by priority and late readings (all 0).
     *
     * @param readings    readings processed
     * @param predictions predictions processed
     * @param fired       alerts raised
     * @param updated     matches that updated an open alert
     * @param resolved    alerts resolved
     * @param escalated   escalations
     * @param suppressed  notifications held back
     * @param ruleErrors  rule evaluations that threw
     * @param notifiers   per-notifier delivery counters
     * @see #AlertStats(long, long, long, long, long, long, long, long, long, List, Map, Map, long)
     */
    public AlertStats(long readings, long predictions, long fired, long updated, long resolved, long escalated,
                      long suppressed, long ruleErrors, List<NotifierStats> notifiers) {
        this(readings, predictions, fired, updated, resolved, escalated, suppressed, ruleErrors, 0, notifiers,
                Map.of(), Map.of(), 0);
    }

    /**
     * @return these counters in core terms, for a metrics binder that does not know this module
     *         ({@code iotpm-micrometer}'s alert binder)
     */
    public AlertCounts counts() {
        List<AlertCounts.NotifierCounts> ns = notifiers.stream()
                .map(n -> new AlertCounts.NotifierCounts(n.name(), n.sent(), n.failed(), n.retries(), n.dropped(),
                        n.queued()))
                .toList();
        return new AlertCounts(byName(firedByPriority), byName(resolvedByPriority), ns);
    }

    private static Map<Priority, Long> complete(Map<Priority, Long> counts) {
        Map<Priority, Long> out = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            out.put(p, counts.getOrDefault(p, 0L));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Long> byName(Map<Priority, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((p, n) -> out.put(p.name(), n));
        return out;
    }

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
