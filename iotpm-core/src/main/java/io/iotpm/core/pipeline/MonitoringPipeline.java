package io.iotpm.core.pipeline;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.StreamOverflowException;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * From a stream of readings to storage, predictions and alerts. The pipeline subscribes to
 * {@link Topic#READINGS} and, for every reading, in per-device order:
 * <ol>
 *   <li>calls the {@link MonitoringListener}s (the alert manager plugs in here);</li>
 *   <li>buffers it for the {@link StorageBackend}, written with {@code appendAll} when
 *       {@link Builder#batchSize(int)} readings are buffered or the oldest has waited
 *       {@link Builder#batchTime(Duration)};</li>
 *   <li>adds it to the device's sliding window of {@link Predictor#sequenceLength()} readings; a
 *       full window is due for a prediction {@link Builder#predictEvery(Duration)} of reading time
 *       and/or every {@link Builder#predictEveryReadings(int)} readings;</li>
 *   <li>runs {@link Predictor#predictBatch(List)} on the due windows of all devices together once
 *       {@link Builder#predictionBatchSize(int)} are due or the oldest has waited
 *       {@link Builder#predictionDelay(Duration)}, then publishes each {@link Prediction} to
 *       {@link Topic#PREDICTIONS} and hands it to the listeners.</li>
 * </ol>
 *
 * <p>Failures do not stop it. A storage call that fails is retried with exponential backoff; the
 * readings stay buffered, and when {@link Builder#maxBufferedReadings(int)} are waiting the
 * pipeline stops taking readings from the hub (back-pressure, so nothing is lost with
 * {@link Overflow#BLOCK}). A batch the storage refuses as invalid is retried reading by reading and
 * only the invalid ones are dropped, counted and logged. A predictor failure is retried per window;
 * windows that still fail are counted and logged and the stream goes on. {@link #close()} drains
 * the subscription, runs the due predictions and flushes the buffer (retrying until its timeout);
 * whatever it cannot store is counted in {@link PipelineMetrics#readingsLost()} and logged.
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

    private final Builder cfg;
    private final StreamHub hub;
    private final StorageBackend storage;
    private final Predictor predictor;
    private final List<MonitoringListener> listeners;
    private final int windowSize;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private List<SensorReading> buffer = new ArrayList<>();
    private long bufferSince;
    private final Map<String, DeviceState> devices = new HashMap<>();
    private List<DeviceWindow> due = new ArrayList<>();
    private long dueSince;
    private int consecutiveStorageFailures;
    private long nextStorageAttempt;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong storageBatches = new AtomicLong();
    private final AtomicLong storageErrors = new AtomicLong();
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong predictionBatches = new AtomicLong();
    private final AtomicLong predictorErrors = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();
    private volatile int pending;
    private volatile int deviceCount;

    private Subscription subscription;
    private ScheduledExecutorService timer;
    private volatile boolean closing;
    private boolean started;
    private boolean closed;

    private MonitoringPipeline(Builder b) {
        this.cfg = b.copy();
        this.hub = b.hub;
        this.storage = b.storage;
        this.predictor = b.predictor;
        this.listeners = List.copyOf(b.listeners);
        this.windowSize = predictor != null ? predictor.sequenceLength() : 0;
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
            throw new IllegalStateException("pipeline '" + cfg.name + "' already " + (closed ? "closed" : "started"));
        }
        started = true;
        ThreadFactory tf = cfg.threadFactory != null ? cfg.threadFactory : r -> {
            Thread t = new Thread(r, "iotpm-pipeline-" + cfg.name);
            t.setDaemon(true);
            return t;
        };
        timer = Executors.newSingleThreadScheduledExecutor(tf);
        long tick = Math.max(5, Math.min(cfg.batchTime.toMillis(), cfg.predictionDelay.toMillis()) / 2);
        timer.scheduleWithFixedDelay(this::onTimer, tick, tick, TimeUnit.MILLISECONDS);
        subscription = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name(cfg.name)
                .capacity(cfg.capacity).overflow(Overflow.BLOCK).build(), this::onReading);
        return this;
    }

    private void onReading(SensorReading r) {
        received.incrementAndGet();
        for (MonitoringListener l : listeners) {
            try {
                l.onReading(r);
            } catch (RuntimeException e) {
                listenerFailed("reading", r.deviceId(), e);
            }
        }
        lock.lock();
        try {
            if (storage != null) {
                if (buffer.isEmpty()) {
                    bufferSince = System.nanoTime();
                }
                buffer.add(r);
                pending = buffer.size();
            }
            if (predictor != null) {
                window(r);
            }
            if (storage != null && buffer.size() >= cfg.batchSize && System.nanoTime() - nextStorageAttempt >= 0) {
                flushStorage();
            }
            if (due.size() >= cfg.predictionBatchSize) {
                runPredictions();
            }
            // Back-pressure: while the storage is down and the buffer is full, hold the hub's worker so
            // the hub's BLOCK queue pushes back on publishers instead of this buffer growing without bound.
            while (storage != null && buffer.size() >= cfg.maxBuffered && !closing) {
                long wait = nextStorageAttempt - System.nanoTime();
                if (wait > 0) {
                    lock.unlock();
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        lock.lock();
                    }
                } else {
                    flushStorage();
                }
            }
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    private void window(SensorReading r) {
        DeviceState d = devices.get(r.deviceId());
        if (d == null) {
            d = new DeviceState(windowSize);
            devices.put(r.deviceId(), d);
            deviceCount = devices.size();
        }
        if (d.window.size() == windowSize) {
            d.window.removeFirst();
        }
        d.window.addLast(r);
        d.sincePrediction++;
        if (d.window.size() < windowSize) {
            return;
        }
        boolean isDue = false;
        if (cfg.predictEvery != null) {
            isDue = d.lastPrediction == null || !r.timestamp().isBefore(d.lastPrediction.plus(cfg.predictEvery));
        }
        if (cfg.predictEveryReadings > 0) {
            isDue |= d.lastPrediction == null || d.sincePrediction >= cfg.predictEveryReadings;
        }
        if (isDue) {
            d.lastPrediction = r.timestamp();
            d.sincePrediction = 0;
            if (due.isEmpty()) {
                dueSince = System.nanoTime();
            }
            due.add(new DeviceWindow(r.deviceId(), new ArrayList<>(d.window)));
        }
    }

    private void onTimer() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (!buffer.isEmpty() && now - bufferSince >= cfg.batchTime.toNanos() && now - nextStorageAttempt >= 0) {
                flushStorage();
            }
            if (!due.isEmpty() && now - dueSince >= cfg.predictionDelay.toNanos()) {
                runPredictions();
            }
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': timer task failed", cfg.name, e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the buffer; on failure keeps it and schedules the retry. Lock held. */
    private void flushStorage() {
        if (buffer.isEmpty()) {
            return;
        }
        List<SensorReading> batch = buffer;
        try {
            storage.appendAll(batch);
            stored.addAndGet(batch.size());
            storageBatches.incrementAndGet();
            buffer = new ArrayList<>();
            storageRecovered();
        } catch (IllegalArgumentException e) {
            // The batch holds a reading this store refuses; nothing of it was stored. Find it.
            storageErrors.incrementAndGet();
            List<SensorReading> keep = new ArrayList<>();
            RuntimeException outage = null;
            for (SensorReading r : batch) {
                if (outage != null) {
                    keep.add(r);
                    continue;
                }
                try {
                    storage.append(r);
                    stored.incrementAndGet();
                } catch (IllegalArgumentException bad) {
                    rejected.incrementAndGet();
                    LOG.warn("pipeline '{}': storage rejected a reading of device '{}' at {}: {}", cfg.name,
                            r.deviceId(), r.timestamp(), bad.getMessage());
                } catch (RuntimeException other) {
                    outage = other;
                    keep.add(r);
                }
            }
            buffer = keep;
            if (outage != null) {
                storageFailed(outage, keep.size());
            } else {
                storageRecovered();
            }
        } catch (RuntimeException e) {
            storageErrors.incrementAndGet();
            storageFailed(e, batch.size());
        }
        if (!buffer.isEmpty()) {
            bufferSince = System.nanoTime();
        }
        pending = buffer.size();
    }

    private void storageFailed(RuntimeException e, int waiting) {
        consecutiveStorageFailures++;
        long backoff = cfg.backoff.toNanos() << Math.min(consecutiveStorageFailures - 1, 20);
        backoff = Math.min(backoff, cfg.maxBackoff.toNanos());
        nextStorageAttempt = System.nanoTime() + backoff;
        if (consecutiveStorageFailures == 1 || consecutiveStorageFailures % 10 == 0) {
            LOG.warn("pipeline '{}': storage failed ({} in a row), {} readings kept for retry in {} ms: {}",
                    cfg.name, consecutiveStorageFailures, waiting, backoff / 1_000_000, e.toString());
        }
    }

    private void storageRecovered() {
        if (consecutiveStorageFailures > 0) {
            LOG.info("pipeline '{}': storage recovered after {} failures", cfg.name, consecutiveStorageFailures);
        }
        consecutiveStorageFailures = 0;
        nextStorageAttempt = System.nanoTime();
    }

    /** Runs the predictor on every due window. Lock held. */
    private void runPredictions() {
        if (due.isEmpty()) {
            return;
        }
        List<DeviceWindow> batch = due;
        due = new ArrayList<>();
        List<Prediction> out = null;
        predictionBatches.incrementAndGet();
        try {
            out = predictor.predictBatch(batch);
            if (out.size() != batch.size()) {
                throw new IllegalStateException("predictBatch returned " + out.size() + " predictions for "
                        + batch.size() + " windows");
            }
        } catch (RuntimeException e) {
            LOG.debug("pipeline '{}': predictBatch of {} windows failed, retrying one by one", cfg.name,
                    batch.size(), e);
            out = new ArrayList<>(batch.size());
            for (DeviceWindow w : batch) {
                try {
                    out.add(predictor.predict(w.deviceId(), w.readings()));
                } catch (RuntimeException one) {
                    long n = predictorErrors.incrementAndGet();
                    if (n <= 10 || n % 1000 == 0) {
                        LOG.warn("pipeline '{}': prediction for device '{}' failed ({} so far): {}", cfg.name,
                                w.deviceId(), n, one.toString());
                    }
                }
            }
        }
        for (Prediction p : out) {
            predictions.incrementAndGet();
            try {
                hub.publish(Topic.PREDICTIONS, p);
            } catch (StreamOverflowException | IllegalStateException e) {
                LOG.debug("pipeline '{}': prediction of device '{}' not published: {}", cfg.name, p.deviceId(),
                        e.getMessage());
            }
            for (MonitoringListener l : listeners) {
                try {
                    l.onPrediction(p);
                } catch (RuntimeException e) {
                    listenerFailed("prediction", p.deviceId(), e);
                }
            }
        }
    }

    private void listenerFailed(String what, String deviceId, RuntimeException e) {
        long n = listenerErrors.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("pipeline '{}': listener failed on a {} of device '{}' ({} so far)", cfg.name, what, deviceId,
                    n, e);
        }
    }

    /**
     * Writes the buffered readings and runs the due predictions now, on the caller's thread.
     *
     * @return whether the buffer is empty afterwards (false while the storage is failing)
     */
    public boolean flush() {
        lock.lock();
        try {
            if (predictor != null) {
                runPredictions();
            }
            if (storage != null) {
                flushStorage();
            }
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** @return the counters now */
    public PipelineMetrics metrics() {
        return new PipelineMetrics(received.get(), stored.get(), pending, rejected.get(), lost.get(),
                storageBatches.get(), storageErrors.get(), predictions.get(), predictionBatches.get(),
                predictorErrors.get(), listenerErrors.get(), deviceCount);
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
        // Set before draining the subscription, so a failing storage does not hold the drain in back-pressure.
        closing = true;
        if (subscription != null) {
            subscription.close();
        }
        if (timer != null) {
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("pipeline '{}': timer thread did not stop", cfg.name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + cfg.closeTimeout.toNanos();
        lock.lock();
        try {
            if (predictor != null) {
                runPredictions();
            }
            while (storage != null && !buffer.isEmpty()) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    lost.addAndGet(buffer.size());
                    LOG.error("pipeline '{}': storage still failing at close; {} readings were not stored",
                            cfg.name, buffer.size());
                    buffer = new ArrayList<>();
                    pending = 0;
                    break;
                }
                if (now - nextStorageAttempt >= 0) {
                    flushStorage();
                } else {
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.min(nextStorageAttempt - now, deadline - now));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        deadline = now;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MonitoringPipeline[" + cfg.name + ", " + metrics() + "]";
    }

    private static final class DeviceState {
        final ArrayDeque<SensorReading> window;
        Instant lastPrediction;
        int sincePrediction;

        DeviceState(int size) {
            window = new ArrayDeque<>(size);
        }
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

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.hub = hub;
            b.storage = storage;
            b.predictor = predictor;
            b.listeners.addAll(listeners);
            b.name = name;
            b.batchSize = batchSize;
            b.batchTime = batchTime;
            b.predictEvery = predictEvery;
            b.predictEveryReadings = predictEveryReadings;
            if (predictEvery == null && predictEveryReadings == 0) {
                b.predictEvery = DEFAULT_PREDICT_EVERY;
            }
            b.predictionBatchSize = predictionBatchSize;
            b.predictionDelay = predictionDelay;
            b.maxBuffered = maxBuffered;
            b.backoff = backoff;
            b.maxBackoff = maxBackoff;
            b.closeTimeout = closeTimeout;
            b.capacity = capacity;
            b.threadFactory = threadFactory;
            return b;
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

        /** @param threadFactory makes the timer thread; default a daemon named {@code iotpm-pipeline-<name>} */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
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
            return new MonitoringPipeline(this);
        }
    }
}
