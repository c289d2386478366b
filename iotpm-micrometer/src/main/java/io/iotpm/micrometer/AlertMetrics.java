package io.iotpm.micrometer;

import io.iotpm.core.metrics.AlertCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The meters of an alert manager, read from its {@link AlertCounts} (this module does not know the alerts
 * module: {@code AlertStats.counts()} produces them):
 * <ul>
 *   <li>{@code iotpm.alerts.fired}, {@code iotpm.alerts.resolved} (counters, tag {@code priority})</li>
 *   <li>{@code iotpm.alerts.notifications} (counter, tags {@code notifier} and {@code outcome}: {@code sent},
 *       {@code failed}, {@code dropped}), {@code iotpm.alerts.notification.retries} (counter, tag
 *       {@code notifier}) and {@code iotpm.alerts.notifications.queued} (gauge, tag {@code notifier})</li>
 * </ul>
 * Notifiers added later get their meters on {@link #refresh()}.
 *
 * <pre>{@code
 * new AlertMetrics<>(alertManager, m -> m.stats().counts()).bindTo(registry);
 * }</pre>
 *
 * @param <T> the alert manager's type
 */
public final class AlertMetrics<T> implements IotpmBinder {

    private final T source;
    private final Function<? super T, AlertCounts> counts;
    private final Set<String> notifiers = new HashSet<>();
    private MeterSet meters;

    /**
     * @param source the alert manager, kept alive by the host
     * @param counts reads its counts; called once per meter per scrape
     */
    public AlertMetrics(T source, Function<? super T, AlertCounts> counts) {
        this.source = Objects.requireNonNull(source, "source");
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (meters != null) {
            throw new IllegalStateException("already bound to " + meters.registry());
        }
        meters = new MeterSet(registry);
        AlertCounts first = counts.apply(source);
        for (String priority : first.firedByPriority().keySet()) {
            Tags t = Tags.of("priority", priority);
            meters.counter("iotpm.alerts.fired", "alerts raised, by priority at raise time", t, source,
                    s -> counts.apply(s).firedByPriority().getOrDefault(priority, 0L));
            meters.counter("iotpm.alerts.resolved", "alerts resolved, by priority at resolution", t, source,
                    s -> counts.apply(s).resolvedByPriority().getOrDefault(priority, 0L));
        }
        refresh();
    }

    @Override
    public synchronized void refresh() {
        if (meters == null) {
            return;
        }
        for (AlertCounts.NotifierCounts n : counts.apply(source).notifiers()) {
            if (notifiers.add(n.name())) {
                register(n.name());
            }
        }
    }

    private void register(String notifier) {
        Tags t = Tags.of("notifier", notifier);
        String outcomes = "notifications by outcome: sent, failed (after the last retry), dropped (queue full)";
        outcome(notifier, t.and("outcome", "sent"), outcomes, AlertCounts.NotifierCounts::sent);
        outcome(notifier, t.and("outcome", "failed"), outcomes, AlertCounts.NotifierCounts::failed);
        outcome(notifier, t.and("outcome", "dropped"), outcomes, AlertCounts.NotifierCounts::dropped);
        meters.counter("iotpm.alerts.notification.retries", "extra attempts after a failed notification", t, source,
                s -> figure(s, notifier, AlertCounts.NotifierCounts::retries));
        meters.gauge("iotpm.alerts.notifications.queued", "notifications waiting for a notifier", null, t,
                source, s -> figure(s, notifier, AlertCounts.NotifierCounts::queued));
    }

    private void outcome(String notifier, Tags t, String description,
                         ToLongFunction<AlertCounts.NotifierCounts> figure) {
        meters.counter("iotpm.alerts.notifications", description, t, source, s -> figure(s, notifier, figure));
    }

    private long figure(T s, String notifier, ToLongFunction<AlertCounts.NotifierCounts> figure) {
        for (AlertCounts.NotifierCounts n : counts.apply(s).notifiers()) {
            if (n.name().equals(notifier)) {
                return figure.applyAsLong(n);
            }
        }
        return 0;
    }

    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.removeAll();
            notifiers.clear();
        }
    }
}
