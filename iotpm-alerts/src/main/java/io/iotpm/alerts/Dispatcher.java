package io.iotpm.alerts;

import io.iotpm.core.time.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One notifier's thread and bounded queue. {@link #offer} never blocks: a full queue drops the
 * notification and counts it, so a stuck SMTP server costs memory bounded by the queue, never
 * ingest latency. This matters beyond speed: {@link AlertBook} offers with a device lock held.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Notifier notifier;
    private final String name;
    private final ArrayBlockingQueue<Job> queue;
    private final boolean callback;
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    /* Opened when close() gives up draining: a retry wait ends at once instead of sleeping on. */
    private final CountDownLatch abort = new CountDownLatch(1);

    /**
     * A queued notification; {@code test} is non-null for a test notification, which is tried once,
     * not counted in the statistics, and completes the future with the outcome.
     */
    private record Job(AlertNotification notification, CompletableFuture<Void> test) {
    }

    /**
     * @param backoff how many attempts a notification gets and how long to wait between them
     */
    Dispatcher(Notifier notifier, String name, int capacity, Backoff backoff, ThreadFactory threads,
               boolean callback) {
        this.callback = callback;
        this.notifier = notifier;
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.backoff = backoff;
        this.thread = threads.newThread(this::run);
        this.thread.setName("iotpm-alerts-notify-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * The manager's retry policy: {@code maxAttempts} sends per notification, waiting
     * {@code firstWait}, then twice that, four times, ... between them.
     */
    static Backoff retrySchedule(Duration firstWait, int maxAttempts) {
        return Backoff.builder(firstWait).maxAttempts(maxAttempts).build();
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    Notifier notifier() {
        return notifier;
    }

    /** @return whether this dispatcher runs a callback rather than a configured notifier */
    boolean isCallback() {
        return callback;
    }

    /**
     * Queues a test notification on the notifier's own thread (notifiers need not be thread-safe).
     * The future fails at once when the queue is full.
     */
    CompletableFuture<Void> offerTest(AlertNotification n) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("notifier '" + name + "' is closed"));
        } else if (!queue.offer(new Job(n, f))) {
            f.completeExceptionally(new IllegalStateException("notifier '" + name + "' queue is full ("
                    + queue.size() + " waiting)"));
        }
        return f;
    }

    void offer(AlertNotification n) {
        boolean wanted;
        try {
            wanted = notifier.accepts(n.event());
        } catch (RuntimeException e) {
            wanted = true;
        }
        if (wanted && !queue.offer(new Job(n, null))) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("notifier '{}' queue is full ({} waiting); dropped {} notifications so far", name,
                        queue.size(), dropped.get());
            }
        }
    }

    AlertStats.NotifierStats stats() {
        return new AlertStats.NotifierStats(name, sent.get(), failed.get(), retries.get(), dropped.get(), queue.size());
    }

    private void run() {
        try {
            while (running || !queue.isEmpty()) {
                Job j = queue.poll(50, TimeUnit.MILLISECONDS);
                if (j == null) {
                    continue;
                }
                if (j.test() != null) {
                    deliverTest(j);
                } else {
                    deliver(j.notification());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverTest(Job j) throws InterruptedException {
        try {
            notifier.send(j.notification());
            j.test().complete(null);
        } catch (InterruptedException e) {
            j.test().completeExceptionally(e);
            throw e;
        } catch (Exception | LinkageError e) {
            j.test().completeExceptionally(e);
        }
    }

    private void deliver(AlertNotification n) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                notifier.send(n);
                sent.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                if (!backoff.allowsRetry(attempt)) {
                    failed.incrementAndGet();
                    LOG.warn("notifier '{}' gave up on alert {} ({} {}) after {} attempts: {}", name,
                            n.alert().id(), n.event(), n.alert().rule(), attempt, e.toString());
                    return;
                }
                retries.incrementAndGet();
                if (abort.await(backoff.delay(attempt).toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new InterruptedException("notifier '" + name + "' closed while waiting to retry");
                }
            }
        }
    }

    /** Stops taking work, drains what is queued for up to {@code drainMillis}, then interrupts. */
    void close(long drainMillis) {
        running = false;
        try {
            thread.join(Math.max(1, drainMillis));
            if (thread.isAlive()) {
                abort.countDown();
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
