package io.iotpm.core.pipeline;

import io.iotpm.core.metrics.DistributionRecorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind {@link PipelineMetrics}, shared by the pipeline's parts. Each part updates its
 * own counters; {@link #snapshot()} reads them all without the pipeline's lock.
 */
final class PipelineCounters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong storageBatches = new AtomicLong();
    final AtomicLong storageErrors = new AtomicLong();
    final AtomicLong predictions = new AtomicLong();
    final AtomicLong predictionBatches = new AtomicLong();
    final AtomicLong predictorErrors = new AtomicLong();
    final AtomicLong listenerErrors = new AtomicLong();
    final DistributionRecorder storageWrites = new DistributionRecorder();
    final DistributionRecorder storageBatchSizes = new DistributionRecorder();
    final DistributionRecorder predictorCalls = new DistributionRecorder();
    final DistributionRecorder predictionLatency = new DistributionRecorder();
    volatile String modelVersion;
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong replaced = new AtomicLong();
    // In the batcher's buffer, and handed to the storage writer but not yet in that buffer.
    volatile int pending;
    volatile int handedOver;
    // Odd while the storage writer moves readings from its hand-over list into the batcher (its only
    // writer, under the store lock): pending already counts them, handedOver still does. A snapshot
    // waits for it to be even and unchanged, so every reading is counted once.
    volatile int moving;
    volatile int devices;

    /** @return readings buffered or handed over, each counted once (see {@link #moving}) */
    int unstored() {
        for (int spins = 0; ; spins++) {
            int v = moving;
            if ((v & 1) == 0) {
                int n = pending + handedOver;
                if (moving == v) {
                    return n;
                }
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();   // the writer was descheduled mid-move: let it finish
            }
        }
    }

    PipelineMetrics snapshot() {
        return new PipelineMetrics(received.get(), stored.get(), unstored(), rejected.get(), lost.get(),
                storageBatches.get(), storageErrors.get(), predictions.get(), predictionBatches.get(),
                predictorErrors.get(), listenerErrors.get(), devices, outOfOrder.get(), replaced.get(),
                storageWrites.snapshot(), storageBatchSizes.snapshot(), predictorCalls.snapshot(),
                predictionLatency.snapshot(), modelVersion);
    }
}
