package io.iotpm.core.pipeline;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.concurrent.SingleThreadScheduler;
import io.iotpm.core.retention.RetentionMetrics;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.core.time.Backoff;
import io.iotpm.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * From a stream of readings to storage, predictions and alerts. The pipeline subscribes to
 * {@link Topic#READINGS} and, for every reading, in per-device order:
 * <ol>
 *   <li>calls the {@link MonitoringListener}s (the alert manager plugs in here);</li>
 *   <li>buffers it for the {@link StorageBackend}, written with {@code appendAll} on a storage
 *       thread of the pipeline's own when {@link Builder#batchSize(int)} readings are buffered or
 *       the oldest has waited {@link Builder#batchTime(Duration)}, at most a batch per call (while
 *       one batch is written the next fills);</li>
 *   <li>adds it to the device's sliding window of {@link Predictor#sequenceLength()} readings; a
 *       window of at least {@link Predictor#minHistory()} readings (a full one, unless the predictor
 *       pads) is due for a prediction {@link Builder#predictEvery(Duration)} of reading time
 *       and/or every {@link Builder#predictEveryReadings(int)} readings;</li>
 *   <li>runs {@link Predictor#predictBatch(List)} on the due windows of all devices together once
 *       {@link Builder#predictionBatchSize(int)} are due or the oldest has waited
 *       {@link Builder#predictionDelay(Duration)}, then publishes each {@link Prediction} to
 *       {@link Topic#PREDICTIONS} and hands it to the listeners.</li>
 * </ol>
 *
 * <p>Readings may arrive late, twice or out of order (at-least-once brokers, gateways replaying
 * their buffer). Each device's window stays in time order with one reading per timestamp: a
 * reading whose timestamp is in the window replaces it (the storage's identity rule, last write
 * wins), a late one inside the window's span is inserted in its place, and one older than the whole
 * window is stored but leaves the window alone; only a reading newer than the window makes it due,
 * so predictors never see an unordered window. With {@link Builder#allowedLateness(Duration, Duration)}
 * the pipeline also holds each device's newest readings back for that much reading time and hands
 * them to the listeners and windows in timestamp order, so a stream whose disorder stays within it
 * gives the same predictions and alerts as the ordered stream. Storage always gets every reading
 * at once.
 *
 * <p>Failures do not stop it. A storage call that fails is retried with exponential backoff; the
 * readings stay buffered, and when {@link Builder#maxBufferedReadings(int)} are waiting the
 * pipeline stops taking readings from the hub (back-pressure, so nothing is lost with
 * {@link Overflow#BLOCK}). A batch the storage refuses as invalid is retried reading by reading and
 * only the invalid ones are dropped, counted and logged. A predictor failure is retried per window;
 * windows that still fail are counted and logged and the stream goes on. {@link #close()} drains
 * the subscription, runs the due predictions and flushes the buffer (retrying until its timeout);
 * whatever it cannot store is counted in {@link PipelineMetrics#readingsLost()} and logged. A
 * {@link Builder#retention(RetentionTask)} task runs beside it and is closed with it.
 *
 * <p>On a hub that commits positions (Kafka), the pipeline's subscription carries a
 * {@link io.iotpm.core.stream.DeliveryHook}: before a commit the buffered readings are stored ({@link #flush()}), so
 * only stored readings are committed and a crash redelivers the rest (at-least-once). After a
 * rebalance the first reading of each device rebuilds its window from storage, and readings no newer
 * than the newest stored one are skipped as redeliveries ({@link #readingsRedelivered()}): stored
 * once, never alerted on twice.
 *
 * <p>The pipeline does not close the hub, the storage or the predictor: the host owns them.
 * Listeners and prediction subscribers must not call {@link #flush()} or {@link #close()} from
 * their callbacks: the pipeline may be waiting for them while it holds its state lock.
 *
 * <pre>{@code
 * MonitoringPipeline pipeline = MonitoringPipeline.builder()
 *     .hub(hub).storage(store).predictor(lstm).listener(alerts)
 *     .predictEvery(Duration.ofMinutes(1)).build().start();
 * }</pre>
 */
public final class MonitoringPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);

    /** Default storage batch size. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Default longest wait of a buffered reading before its batch is written. */
    public static final Duration DEFAULT_BATCH_TIME = Duration.ofSeconds(1);
    /** Default interval between predictions of one device, in reading time. */
    public static final Duration DEFAULT_PREDICT_EVERY = Duration.ofMinutes(1);
    /** Default number of windows per {@code predictBatch} call. */
    public static final int DEFAULT_PREDICTION_BATCH_SIZE = 64;
    /** Default longest wait of a due window before its batch runs. */
    public static final Duration DEFAULT_PREDICTION_DELAY = Duration.ofMillis(200);
    /** Default number of buffered readings at which the pipeline stops taking more from the hub. */
    public static final int DEFAULT_MAX_BUFFERED = 100_000;
    /** Default first retry delay after a storage failure (doubles up to {@link #DEFAULT_MAX_BACKOFF}). */
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
    /** Default longest retry delay. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Default time {@link #close()} keeps retrying a failing storage. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final StreamHub hub;
    private final int capacity;
    private final long timerTickMillis;
    private final ThreadFactory threadFactory;
    private final ThreadFactory storeThreads;
    private final Ticker ticker;
    private final Duration closeTimeout;
    private final PipelineCounters counters = new PipelineCounters();
    private final ListenerFanOut listeners;
    private final ReentrantLock lock = new ReentrantLock();
    // Null without storage; thread-safe, with a thread and a lock of its own.
    private final StorageWriter writer;
    // Guarded by lock; null without a predictor.
    private final PredictionScheduler scheduler;
    // Null without storage: then nothing tells a redelivery from a new reading.
    private final RedeliveryGuard guard;
    // Guarded by lock; null without an allowed lateness.
    private final ReorderBuffer reorder;
    // Started and closed with the pipeline; null without one.
    private final RetentionTask retention;

    private Subscription subscription;
    private SingleThreadScheduler timer;
    private boolean started;
    private boolean closed;

    private MonitoringPipeline(Builder b) {
        this.name = b.name;
        this.hub = b.hub;
        this.capacity = b.capacity;
        this.timerTickMillis = Math.max(5, Math.min(b.batchTime.toMillis(), b.predictionDelay.toMillis()) / 2);
        String threadName = "iotpm-pipeline-" + b.name;
        this.threadFactory = b.threadFactory != null ? b.threadFactory : daemon(threadName);
        this.storeThreads = b.threadFactory != null ? b.threadFactory : daemon(threadName + "-store");
        this.ticker = b.ticker;
        this.closeTimeout = b.closeTimeout;
        this.listeners = new ListenerFanOut(name, b.listeners, counters);
        this.writer = b.storage == null ? null : storageWriter(b, counters);
        Duration every = b.predictEvery == null && b.predictEveryReadings == 0 ? DEFAULT_PREDICT_EVERY : b.predictEvery;
        this.scheduler = b.predictor == null ? null : new PredictionScheduler(name, b.predictor, hub, listeners,
                counters, ticker, every, b.predictEveryReadings, b.predictionBatchSize,
                capped(b.predictionDelay).toNanos());
        this.guard = b.storage == null ? null : new RedeliveryGuard(name, b.storage, scheduler,
                b.predictor == null ? 1 : b.predictor.sequenceLength(), lock);
        this.reorder = b.lateness == null ? null
                : new ReorderBuffer(capped(b.lateness), capped(b.latenessMaxWait).toNanos(), ticker, this::inOrder);
        this.retention = b.retention;
    }

    private StorageWriter storageWriter(Builder b, PipelineCounters counters) {
        ReentrantLock storeLock = new ReentrantLock();
        StorageBatcher batcher = new StorageBatcher(name, b.storage, counters, ticker,
                Backoff.builder(capped(b.backoff)).maxDelay(capped(b.maxBackoff)).build(), b.batchSize,
                capped(b.batchTime).toNanos(), b.maxBuffered, storeLock);
        long tick = TimeUnit.MILLISECONDS.toNanos(Math.max(5, Math.min(100, capped(b.batchTime).toMillis() / 2)));
        return new StorageWriter(name, batcher, storeLock, counters, ticker, b.batchSize, b.maxBuffered, tick);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Durations beyond what nanoseconds in a long hold (about 292 years) act as that longest one. */
    private static Duration capped(Duration d) {
        return d.compareTo(Backoff.MAX_DELAY) > 0 ? Backoff.MAX_DELAY : d;
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Subscribes to the hub and starts the timer thread.
     *
     * @return this
     * @throws IllegalStateException if already started or closed
     */
    public synchronized MonitoringPipeline start() {
        if (started || closed) {
            throw new IllegalStateException("pipeline '" + name + "' already " + (closed ? "closed" : "started"));
        }
        started = true;
        timer = SingleThreadScheduler.create(threadFactory);
        timer.executor().scheduleWithFixedDelay(this::onTimer, timerTickMillis, timerTickMillis, TimeUnit.MILLISECONDS);
        if (writer != null) {
            writer.start(storeThreads);
        }
        subscription = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name(name)
                .capacity(capacity).overflow(Overflow.BLOCK).deliveryHook(new PipelineHook(this::flush, guard))
                .build(), this::onReading);
        if (retention != null) {
            retention.start();
        }
        return this;
    }

    private void onReading(SensorReading r) {
        if (guard != null && guard.active() && guard.alreadyStored(r)) {
            return;
        }
        counters.received.incrementAndGet();
        if (reorder == null) {
            listeners.onReading(r);
        }
        if (writer != null) {
            // Outside the lock: a wait for room must not stop the timer's predictions.
            writer.offer(r);
        }
        if (reorder == null && scheduler == null) {
            return;
        }
        lock.lock();
        try {
            if (reorder != null) {
                reorder.offer(r);
            } else {
                scheduler.add(r);
            }
            if (scheduler != null) {
                scheduler.runIfFull();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A reading the reorder buffer released; runs with the lock held. */
    private void inOrder(SensorReading r) {
        listeners.onReading(r);
        if (scheduler != null) {
            scheduler.add(r);
        }
    }

    private void onTimer() {
        lock.lock();
        try {
            long now = ticker.nanoTime();
            if (reorder != null) {
                reorder.releaseWaited(now);
            }
            if (scheduler != null) {
                scheduler.runIfWaited(now);
            }
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': timer task failed", name, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the readings held for lateness, writes the buffered readings and runs the due
     * predictions now, on the caller's thread.
     *
     * @return whether the buffer is empty afterwards (false while the storage is failing)
     */
    public boolean flush() {
        lock.lock();
        try {
            if (reorder != null) {
                reorder.releaseAll();
            }
            if (scheduler != null) {
                scheduler.run();
            }
        } finally {
            lock.unlock();
        }
        return writer == null || writer.flush();
    }

    /** @return the counters now */
    public PipelineMetrics metrics() {
        return counters.snapshot();
    }

    /**
     * @return readings skipped because storage already held their device's readings up to their
     *         time when a rebalance gave the device to this pipeline (redeliveries: not stored, alerted
     *         on or predicted from again); not part of {@link PipelineMetrics#readingsReceived()}
     */
    public long readingsRedelivered() {
        return guard == null ? 0 : guard.skipped();
    }

    /** @return the retention task's counters, or {@code null} without {@link Builder#retention(RetentionTask)} */
    public RetentionMetrics retentionMetrics() {
        return retention == null ? null : retention.metrics();
    }

    /** @return the hub subscription, for its queue metrics; {@code null} before {@link #start()} */
    public Subscription subscription() {
        return subscription;
    }

    /**
     * Unsubscribes (draining what the hub queued for the pipeline), stops the timer, runs the due
     * predictions and flushes the storage buffer, retrying a failing storage until the close
     * timeout. Idempotent. The hub, storage and predictor stay open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (retention != null) {
            retention.close();
        }
        // Before draining the subscription, so a failing storage does not hold the drain in back-pressure.
        if (writer != null) {
            writer.stopWaiting();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (timer != null && !timer.stop(Duration.ofSeconds(10))) {
            LOG.warn("pipeline '{}': timer thread did not stop", name);
        }
        long deadline = ticker.nanoTime() + closeTimeout.toNanos();
        lock.lock();
        try {
            if (reorder != null) {
                reorder.releaseAll();
            }
            if (scheduler != null) {
                scheduler.run();
            }
        } finally {
            lock.unlock();
        }
        if (writer != null) {
            writer.close(deadline);
        }
    }

    @Override
    public String toString() {
        return "MonitoringPipeline[" + name + ", " + metrics() + "]";
    }

    /** Builds a {@link MonitoringPipeline}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private StreamHub hub;
        private StorageBackend storage;
        private Predictor predictor;
        private final List<MonitoringListener> listeners = new ArrayList<>();
        private String name = "pipeline";
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration batchTime = DEFAULT_BATCH_TIME;
        private Duration predictEvery;
        private int predictEveryReadings;
        private int predictionBatchSize = DEFAULT_PREDICTION_BATCH_SIZE;
        private Duration predictionDelay = DEFAULT_PREDICTION_DELAY;
        private int maxBuffered = DEFAULT_MAX_BUFFERED;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int capacity = 8192;
        private ThreadFactory threadFactory;
        private Ticker ticker = Ticker.system();
        private Duration lateness;
        private Duration latenessMaxWait;
        private RetentionTask retention;

        private Builder() {
        }

        /**
         * @param task removes old readings, events and alert history on its schedule; the pipeline
         *             starts it in {@code start()} and closes it in {@code close()}. Default none.
         */
        public Builder retention(RetentionTask task) {
            this.retention = Objects.requireNonNull(task, "task");
            return this;
        }

        /**
         * Holds each device's newest readings back for {@code lateness} of reading time and hands
         * them to the listeners and prediction windows in timestamp order (a repeated timestamp
         * held once, the last write winning). A reading is released when one of its device at
         * least {@code lateness} newer arrives, after {@code maxWait} of ticker time (a device
         * that went quiet), or on {@link MonitoringPipeline#flush()} and {@code close()}. A
         * reading later than that passes through and is handled as late (see the class comment).
         * Storage is not delayed. Default: no holding back, listeners see arrival order.
         *
         * @param lateness how much disorder (reading time) to put right, {@code > 0}
         * @param maxWait  longest a reading is held, {@code >= 1 ms}
         */
        public Builder allowedLateness(Duration lateness, Duration maxWait) {
            Objects.requireNonNull(lateness, "lateness");
            if (lateness.isNegative() || lateness.isZero()) {
                throw new IllegalArgumentException("lateness must be > 0, but was " + lateness);
            }
            this.latenessMaxWait = atLeastOneMilli("maxWait", maxWait);
            this.lateness = lateness;
            return this;
        }

        /** @param hub where readings come from and predictions go (required) */
        public Builder hub(StreamHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        /** @param storage where readings are stored; default none */
        public Builder storage(StorageBackend storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** @param predictor what predicts from the windows; default none (no predictions) */
        public Builder predictor(Predictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** @param listener receives every reading and prediction; may be called several times */
        public Builder listener(MonitoringListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @param name subscriber and thread name suffix, {@code [A-Za-z0-9._-]{1,64}}; default {@code pipeline} */
        public Builder name(String name) {
            SubscriberOptions.builder().name(name);
            this.name = name;
            return this;
        }

        /** @param batchSize readings per storage write, 1 to 1,000,000; default {@value #DEFAULT_BATCH_SIZE} */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 1_000_000) {
                throw new IllegalArgumentException("batchSize must be in [1, 1000000], but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** @param batchTime longest wait of a buffered reading, {@code >= 1 ms}; default 1 second */
        public Builder batchTime(Duration batchTime) {
            this.batchTime = atLeastOneMilli("batchTime", batchTime);
            return this;
        }

        /**
         * @param every a device's full window is due this long (reading time) after its last
         *              prediction, {@code > 0}; default 1 minute unless only
         *              {@link #predictEveryReadings(int)} is set
         */
        public Builder predictEvery(Duration every) {
            Objects.requireNonNull(every, "every");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("predictEvery must be > 0, but was " + every);
            }
            this.predictEvery = every;
            return this;
        }

        /** @param n a device's full window is also due after this many new readings, {@code > 0} */
        public Builder predictEveryReadings(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("predictEveryReadings must be > 0, but was " + n);
            }
            this.predictEveryReadings = n;
            return this;
        }

        /** @param n windows per {@code predictBatch} call, 1 to 100,000; default {@value #DEFAULT_PREDICTION_BATCH_SIZE} */
        public Builder predictionBatchSize(int n) {
            if (n < 1 || n > 100_000) {
                throw new IllegalArgumentException("predictionBatchSize must be in [1, 100000], but was " + n);
            }
            this.predictionBatchSize = n;
            return this;
        }

        /** @param delay longest wait of a due window for its batch to fill, {@code >= 1 ms}; default 200 ms */
        public Builder predictionDelay(Duration delay) {
            this.predictionDelay = atLeastOneMilli("predictionDelay", delay);
            return this;
        }

        /**
         * @param n buffered readings at which the pipeline stops taking readings from the hub while
         *          the storage fails, {@code >= 1}; default {@value #DEFAULT_MAX_BUFFERED}
         */
        public Builder maxBufferedReadings(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBufferedReadings must be >= 1, but was " + n);
            }
            this.maxBuffered = n;
            return this;
        }

        /**
         * @param first first retry delay after a storage failure, doubling per failure; default 100 ms
         * @param max   longest retry delay; default 30 s
         */
        public Builder retryBackoff(Duration first, Duration max) {
            atLeastOneMilli("backoff", first);
            atLeastOneMilli("max backoff", max);
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is shorter than first backoff " + first);
            }
            this.backoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** @param timeout how long {@code close()} retries a failing storage, {@code >= 0}; default 10 s */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must be >= 0, but was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** @param capacity the pipeline's hub queue capacity (always {@link Overflow#BLOCK}); default 8192 */
        public Builder capacity(int capacity) {
            SubscriberOptions.builder().capacity(capacity);
            this.capacity = capacity;
            return this;
        }

        /**
         * @param threadFactory makes the timer thread and, with a storage, the storage writer thread;
         *                      default daemons named {@code iotpm-pipeline-<name>} and
         *                      {@code iotpm-pipeline-<name>-store}
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * @param ticker measures how long readings and due windows have waited and when a storage
         *               retry is due; default {@link Ticker#system()}
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        private static Duration atLeastOneMilli(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException(what + " must be >= 1 ms, but was " + d);
            }
            return d;
        }

        /**
         * @return the pipeline, not started
         * @throws IllegalStateException if the hub is missing, nothing consumes the readings (no
         *                               storage, predictor or listener), or a prediction setting is
         *                               given without a predictor
         */
        public MonitoringPipeline build() {
            if (hub == null) {
                throw new IllegalStateException("hub(...) is required");
            }
            if (storage == null && predictor == null && listeners.isEmpty()) {
                throw new IllegalStateException("set at least one of storage(...), predictor(...), listener(...)");
            }
            if (predictor == null && (predictEvery != null || predictEveryReadings > 0)) {
                throw new IllegalStateException("predictEvery/predictEveryReadings need a predictor(...)");
            }
            if (predictor != null && predictor.sequenceLength() < 1) {
                throw new IllegalStateException("predictor.sequenceLength() must be >= 1, but was "
                        + predictor.sequenceLength());
            }
            if (predictor != null
                    && (predictor.minHistory() < 1 || predictor.minHistory() > predictor.sequenceLength())) {
                throw new IllegalStateException("predictor.minHistory() must be in [1, sequenceLength() "
                        + predictor.sequenceLength() + "], but was " + predictor.minHistory());
            }
            return new MonitoringPipeline(this);
        }
    }
}
