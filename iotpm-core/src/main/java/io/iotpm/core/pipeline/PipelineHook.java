package io.iotpm.core.pipeline;

import io.iotpm.core.stream.DeliveryHook;

import java.util.function.BooleanSupplier;

/**
 * The pipeline's answer to a hub that commits positions (Kafka): a commit waits for the buffered
 * readings to be stored, and a rebalance makes each device's state be rebuilt from storage at its
 * next reading.
 */
final class PipelineHook implements DeliveryHook {

    private final BooleanSupplier flush;
    private final RedeliveryGuard guard;

    /**
     * @param flush stores the buffered readings; whether the buffer is empty afterwards
     * @param guard the pipeline's redelivery guard, or {@code null} without storage
     */
    PipelineHook(BooleanSupplier flush, RedeliveryGuard guard) {
        this.flush = flush;
        this.guard = guard;
    }

    @Override
    public boolean beforeCommit() {
        return flush.getAsBoolean();
    }

    @Override
    public void onReassigned() {
        if (guard != null) {
            guard.reassigned();
        }
    }
}
