package io.iotpm.alerts;

import java.util.Map;

/**
 * Sends alert notifications somewhere: a log, a webhook, an e-mail. The manager calls each notifier
 * on a thread of its own with a bounded queue, so {@link #send} may block (an SMTP round trip) without
 * slowing ingestion; an exception makes the manager retry with backoff and count the failure.
 *
 * <p>Implementations need not be thread-safe: one notifier is only ever called from its own thread.
 */
@FunctionalInterface
public interface Notifier {

    /**
     * Delivers one notification.
     *
     * @param notification what to send
     * @throws Exception when delivery failed; the manager retries
     */
    void send(AlertNotification notification) throws Exception;

    /**
     * Whether this notifier wants an event at all. The default takes every event except
     * {@link AlertNotification.Event#ACKNOWLEDGED}.
     *
     * @param event the event
     * @return whether to queue it for {@link #send}
     */
    default boolean accepts(AlertNotification.Event event) {
        return event != AlertNotification.Event.ACKNOWLEDGED;
    }

    /** @return a short name for thread names, logs and statistics; default the simple class name */
    default String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "notifier" : n;
    }

    /** @return what kind of notifier this is ({@code log}, {@code webhook}, {@code email}, {@code hub}, ...); default {@code custom} */
    default String kind() {
        return "custom";
    }

    /**
     * Describes where this notifier sends, for settings screens. Must never contain secrets
     * (passwords, tokens, URL query strings or user info). Values should be strings, numbers or booleans.
     *
     * @return details; default none
     */
    default Map<String, Object> details() {
        return Map.of();
    }
}
