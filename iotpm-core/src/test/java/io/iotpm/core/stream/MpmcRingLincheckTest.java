package io.iotpm.core.stream;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * As {@link MpscRingLincheckTest}, for the ring of DROP_OLDEST subscribers: any thread may poll (a publisher
 * dropping the oldest to make room) while the worker drains, so poll runs in parallel with offers and with the
 * one draining worker.
 */
public class MpmcRingLincheckTest {

    private final MpmcRing ring = new MpmcRing(2);
    private final RingLedger ledger = new RingLedger();

    /** A producer offers a fresh element. */
    @Operation
    public void offer() {
        ledger.offer(ring);
    }

    /** Any thread takes the oldest element. */
    @Operation
    public void poll() {
        ledger.took(ring.poll());
    }

    /** The worker drains a batch. */
    @Operation(nonParallelGroup = "worker")
    public void drain() {
        ledger.drain(ring, 2);
    }

    /** Runs after each explored execution. */
    @Validate
    public void noElementLostDuplicatedOrStranded() {
        ledger.check(ring);
    }

    @Test
    void modelChecking_findsNoLostDuplicatedOrStrandedElement() {
        RingLedger.modelCheck(MpmcRingLincheckTest.class);
    }
}
