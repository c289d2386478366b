package io.iotpm.core.pipeline;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.StreamOverflowException;
import io.iotpm.core.stream.Topic;
import io.iotpm.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps a sliding window of {@link Predictor#sequenceLength()} readings per device, in time order
 * with at most one reading per timestamp whatever order they arrive in, decides when a
 * window of at least {@link Predictor#minHistory()} readings is due (every {@code predictEvery} of
 * reading time and/or every {@code predictEveryReadings} readings), and runs the due windows of all
 * devices through one {@link Predictor#predictBatch(List)} call once enough are due or the oldest
 * has waited long enough. A failing batch is retried window by window, so only the windows that still fail are
 * lost (counted and logged). Each prediction is published to {@link Topic#PREDICTIONS} and handed
 * to the listeners.
 *
 * <p>Not thread-safe: every method runs under the pipeline's lock.
 */
final class PredictionScheduler {

    // The pipeline's logger, so a host's log settings for MonitoringPipeline cover its parts.
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringPipeline.class);

    private final String name;
    private final Predictor predictor;
    private final StreamHub hub;
    private final ListenerFanOut listeners;
    private final PipelineCounters counters;
    private final Ticker ticker;
    private final int windowSize;
    private final int minHistory;
    private final Duration predictEvery;
    private final int predictEveryReadings;
    private final int batchSize;
    private final long delayNanos;

    private final Map<String, DeviceState> devices = new HashMap<>();
    private List<DeviceWindow> due = new ArrayList<>();
    private long dueSince;

    /**
     * @param predictEvery         reading time between two predictions of a device, or {@code null}
     * @param predictEveryReadings readings between two predictions of a device, or 0
     * @param batchSize            due windows that trigger a {@code predictBatch} call
     * @param delayNanos           longest wait of a due window
     */
    PredictionScheduler(String name, Predictor predictor, StreamHub hub, ListenerFanOut listeners,
                        PipelineCounters counters, Ticker ticker, Duration predictEvery, int predictEveryReadings,
                        int batchSize, long delayNanos) {
        this.name = name;
        this.predictor = predictor;
        this.hub = hub;
        this.listeners = listeners;
        this.counters = counters;
        this.ticker = ticker;
        this.windowSize = predictor.sequenceLength();
        this.minHistory = predictor.minHistory();
        this.predictEvery = predictEvery;
        this.predictEveryReadings = predictEveryReadings;
        this.batchSize = batchSize;
        this.delayNanos = delayNanos;
    }

    /**
     * Puts the reading into its device's window, keeping the window in time order with one reading
     * per timestamp, and queues the window if it is due. A reading newer than the window's newest
     * slides the window on and may make it due; a reading whose timestamp is in the window replaces
     * that reading (the storage's identity rule: last write wins); a late reading inside the window's
     * span is inserted in its place, dropping the oldest; one older than a full window is left out.
     * Only newer readings make a window due, so a late or repeated reading never adds a prediction.
     */
    void add(SensorReading r) {
        DeviceState d = devices.get(r.deviceId());
        if (d == null) {
            d = new DeviceState(windowSize);
            devices.put(r.deviceId(), d);
            counters.devices = devices.size();
        }
        Instant ts = r.timestamp();
        if (!d.window.isEmpty() && !ts.isAfter(d.window.newest())) {
            addLate(d, r);
            return;
        }
        d.window.append(r);
        d.sincePrediction++;
        if (d.window.size() < minHistory) {
            return;
        }
        boolean isDue = false;
        if (predictEvery != null) {
            isDue = d.lastPrediction == null || !ts.isBefore(d.lastPrediction.plus(predictEvery));
        }
        if (predictEveryReadings > 0) {
            isDue |= d.lastPrediction == null || d.sincePrediction >= predictEveryReadings;
        }
        if (isDue) {
            d.lastPrediction = ts;
            d.sincePrediction = 0;
            if (due.isEmpty()) {
                dueSince = ticker.nanoTime();
            }
            due.add(new DeviceWindow(r.deviceId(), d.window.readings()));
        }
    }

    /** A reading not newer than its device's newest: replaces, is inserted, or stays out of the window. */
    private void addLate(DeviceState d, SensorReading r) {
        counters.outOfOrder.incrementAndGet();
        if (d.window.addLate(r) == WindowRing.Late.REPLACED) {
            counters.replaced.incrementAndGet();
        }
    }

    /**
     * Replaces a device's window with readings from storage (after a rebalance gave the device to
     * this pipeline); keeps when it last predicted, if it knows, so predictions go on at their pace.
     *
     * @param history the device's newest stored readings, oldest first
     */
    void prime(String deviceId, List<SensorReading> history) {
        DeviceState d = devices.computeIfAbsent(deviceId, k -> new DeviceState(windowSize));
        d.window.clear();
        for (SensorReading r : history) {
            if (d.window.isEmpty() || r.timestamp().isAfter(d.window.newest())) {
                d.window.append(r);
            } else {
                d.window.addLate(r);
            }
        }
        counters.devices = devices.size();
    }

    /** Runs the due windows if a whole batch of them is due. */
    void runIfFull() {
        if (due.size() >= batchSize) {
            run();
        }
    }

    /** Runs the due windows if the oldest has waited the prediction delay at {@code now} (ticker time). */
    void runIfWaited(long now) {
        if (!due.isEmpty() && now - dueSince >= delayNanos) {
            run();
        }
    }

    /** Runs the predictor on every due window, then publishes and hands on the predictions. */
    void run() {
        if (due.isEmpty()) {
            return;
        }
        List<DeviceWindow> batch = due;
        long since = dueSince;
        due = new ArrayList<>();
        counters.predictionBatches.incrementAndGet();
        List<Prediction> predictions = predict(batch);
        for (Prediction p : predictions) {
            counters.predictions.incrementAndGet();
            counters.modelVersion = p.modelVersion();
            try {
                hub.publish(Topic.PREDICTIONS, p);
            } catch (StreamOverflowException | IllegalStateException e) {
                LOG.debug("pipeline '{}': prediction of device '{}' not published: {}", name, p.deviceId(),
                        e.getMessage());
            }
            listeners.onPrediction(p);
        }
        if (!predictions.isEmpty()) {
            counters.predictionLatency.record(ticker.nanoTime() - since);
        }
    }

    private List<Prediction> predict(List<DeviceWindow> batch) {
        long start = ticker.nanoTime();
        try {
            List<Prediction> out = timed(start, () -> predictor.predictBatch(batch));
            if (out.size() != batch.size()) {
                throw new IllegalStateException("predictBatch returned " + out.size() + " predictions for "
                        + batch.size() + " windows");
            }
            return out;
        } catch (RuntimeException e) {
            LOG.debug("pipeline '{}': predictBatch of {} windows failed, retrying one by one", name,
                    batch.size(), e);
        }
        List<Prediction> out = new ArrayList<>(batch.size());
        for (DeviceWindow w : batch) {
            try {
                out.add(timed(ticker.nanoTime(), () -> predictor.predict(w.deviceId(), w.readings())));
            } catch (RuntimeException one) {
                long n = counters.predictorErrors.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) {
                    LOG.warn("pipeline '{}': prediction for device '{}' failed ({} so far): {}", name,
                            w.deviceId(), n, one.toString());
                }
            }
        }
        return out;
    }

    /** Runs one predictor call, recording its duration whether it returns or throws. */
    private <T> T timed(long start, Supplier<T> call) {
        try {
            return call.get();
        } finally {
            counters.predictorCalls.record(ticker.nanoTime() - start);
        }
    }

    private static final class DeviceState {
        final WindowRing window;
        Instant lastPrediction;
        int sincePrediction;

        DeviceState(int windowSize) {
            this.window = new WindowRing(windowSize);
        }
    }
}
