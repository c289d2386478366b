package io.iotpm.core.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alert figures in core terms, so a metrics binder can expose an alert manager without depending on the
 * alerts module (the alerts module produces it). Counters only grow.
 *
 * @param firedByPriority    alerts raised, by priority name ({@code LOW} ... {@code CRITICAL}); every priority
 *                           the producer knows is present, with 0 if none fired
 * @param resolvedByPriority alerts resolved (any reason), by the priority they had when resolved
 * @param notifiers          delivery outcomes per notifier, in registration order
 */
public record AlertCounts(Map<String, Long> firedByPriority, Map<String, Long> resolvedByPriority,
                          List<NotifierCounts> notifiers) {

    /** Copies the maps and the list, so the snapshot stays as taken. */
    public AlertCounts {
        firedByPriority = Map.copyOf(Objects.requireNonNull(firedByPriority, "firedByPriority"));
        resolvedByPriority = Map.copyOf(Objects.requireNonNull(resolvedByPriority, "resolvedByPriority"));
        notifiers = List.copyOf(Objects.requireNonNull(notifiers, "notifiers"));
    }

    /**
     * Delivery outcomes of one notifier.
     *
     * @param name    the notifier's unique name in its manager
     * @param sent    notifications delivered
     * @param failed  notifications given up after the last retry
     * @param retries extra attempts after a failure
     * @param dropped notifications dropped because its queue was full
     * @param queued  notifications waiting now
     */
    public record NotifierCounts(String name, long sent, long failed, long retries, long dropped, int queued) {

        /** @throws NullPointerException if the name is null */
        public NotifierCounts {
            Objects.requireNonNull(name, "name");
        }
    }
}
