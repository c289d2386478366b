package io.iotpm.alerts;

import io.iotpm.core.time.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The notifiers and callbacks of one manager, a {@link Dispatcher} (thread and bounded queue) each:
 * fan-out of notifications, test sends, delivery counters and shutdown.
 */
final class NotifierHub {

    private final int queueCapacity;
    private final Backoff backoff;
    private final ThreadFactory threadFactory;
    /*
     * Copy-on-write: dispatch() runs under a device lock for every notification and must neither
     * block nor see a half-added dispatcher; callbacks are added rarely, at run time.
     */
    private final CopyOnWriteArrayList<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final AtomicInteger callbackIds = new AtomicInteger();
    private volatile boolean started;

    NotifierHub(int queueCapacity, Backoff backoff, ThreadFactory threadFactory) {
        this.queueCapacity = queueCapacity;
        this.backoff = backoff;
        this.threadFactory = threadFactory;
    }

    /** Adds a configured notifier; call before {@link #start()}. {@code capacity <= 0} means the default. */
    void addNotifier(Notifier n, int capacity) {
        int cap = capacity > 0 ? capacity : queueCapacity;
        dispatchers.add(new Dispatcher(n, uniqueName(n.name()), cap, backoff, threadFactory, false));
    }

    /** Adds a callback for raised alerts; its thread starts now if the hub runs already. */
    void addCallback(Consumer<Alert> c) {
        Notifier n = new Notifier() {
            @Override
            public void send(AlertNotification notification) {
                c.accept(notification.alert());
            }

            @Override
            public boolean accepts(AlertNotification.Event event) {
                return event.isRaise();
            }
        };
        Dispatcher d = new Dispatcher(n, "callback-" + callbackIds.incrementAndGet(), queueCapacity, backoff,
                threadFactory, true);
        dispatchers.add(d);
        if (started) {
            d.start();
        }
    }

    /** Starts every thread added so far. */
    void start() {
        started = true;
        for (Dispatcher d : dispatchers) {
            d.start();
        }
    }

    /** Queues {@code n} for every notifier and callback that accepts it; never blocks. */
    void dispatch(AlertNotification n) {
        for (Dispatcher d : dispatchers) {
            d.offer(n);
        }
    }

    /** @return the configured notifiers (not callbacks) in registration order */
    List<NotifierInfo> notifiers() {
        List<NotifierInfo> out = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            if (!d.isCallback()) {
                Notifier n = d.notifier();
                out.add(new NotifierInfo(d.name(), n.kind(), Map.copyOf(n.details()), d.stats()));
            }
        }
        return out;
    }

    /** @return delivery counters of every notifier and callback, in registration order */
    List<AlertStats.NotifierStats> stats() {
        List<AlertStats.NotifierStats> ns = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            ns.add(d.stats());
        }
        return ns;
    }

    /**
     * Sends the test notification once through every configured notifier, or the one named, and waits
     * up to {@code timeout} for all outcomes; see {@link AlertManager#sendTest}.
     *
     * @param now manager clock time, the test alert's time
     * @throws IllegalArgumentException if no notifier has that name
     */
    List<NotifierTestResult> sendTest(String notifier, Duration timeout, Instant now) {
        List<Dispatcher> targets = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            if (!d.isCallback() && (notifier == null || d.name().equals(notifier))) {
                targets.add(d);
            }
        }
        if (notifier != null && targets.isEmpty()) {
            throw new IllegalArgumentException("no notifier named '" + notifier + "'; configured: "
                    + notifiers().stream().map(NotifierInfo::name).toList());
        }
        Alert alert = new Alert(0, AlertManager.TEST_RULE, AlertType.THRESHOLD, Priority.LOW, AlertManager.TEST_DEVICE,
                null, AlertManager.TEST_MESSAGE, AlertState.ACTIVE, now, now, 1, Double.NaN, null, null, null, null,
                null, 0, 0, null);
        AlertNotification n = new AlertNotification(AlertNotification.Event.FIRED, alert, now);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        long[] started = new long[targets.size()];
        // Written by the notifier thread when its send ends; read only after the future completed.
        AtomicLongArray ended = new AtomicLongArray(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Dispatcher d = targets.get(i);
            started[i] = System.nanoTime();
            boolean accepts;
            try {
                accepts = d.notifier().accepts(AlertNotification.Event.FIRED);
            } catch (RuntimeException e) {
                accepts = true;
            }
            int slot = i;
            futures.add(accepts ? d.offerTest(n).whenComplete((v, e) -> ended.set(slot, System.nanoTime())) : null);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NotifierTestResult> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String name = targets.get(i).name();
            CompletableFuture<Void> f = futures.get(i);
            if (f == null) {
                out.add(new NotifierTestResult(name, NotifierTestResult.Outcome.SKIPPED,
                        "the notifier does not accept FIRED events (disabled?)", 0));
                continue;
            }
            NotifierTestResult.Outcome outcome = NotifierTestResult.Outcome.SENT;
            String error = null;
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                outcome = NotifierTestResult.Outcome.FAILED;
                error = "no outcome within " + timeout.toMillis() + " ms";
            } catch (ExecutionException e) {
                outcome = NotifierTestResult.Outcome.FAILED;
                error = describe(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = NotifierTestResult.Outcome.FAILED;
                error = "interrupted while waiting";
            }
            long end = ended.get(i);
            long ms = end != 0 ? (end - started[i]) / 1_000_000 : timeout.toMillis();
            out.add(new NotifierTestResult(name, outcome, error, ms));
        }
        return out;
    }

    /** Lets queued notifications go out for up to {@code timeoutMillis} in total, then stops every thread. */
    void close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Dispatcher d : dispatchers) {
            d.close(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
    }

    /** {@code ConnectException: Connection refused}, with the root cause's message when there is one. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root != t) {
            msg += " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + ")";
        }
        return msg.length() > 500 ? msg.substring(0, 500) + "..." : msg;
    }

    private String uniqueName(String base) {
        String n = base;
        int i = 2;
        while (true) {
            String candidate = n;
            if (dispatchers.stream().noneMatch(d -> d.name().equals(candidate))) {
                return n;
            }
            n = base + "-" + i++;
        }
    }
}
