package io.iotpm.core.stream;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck explores the interleavings of small scenarios (up to three threads: producers offering, one consumer
 * polling and draining) on a ring of two slots, so scenarios wrap and fill it. Operations return nothing: the
 * ring is not linearizable as a queue (a consumer may see "empty" while a producer that claimed the head slot
 * has not published yet, by design, as in the Disruptor), so the property checked is the one the hub relies on,
 * after every explored execution: no accepted element lost, duplicated or stranded, no refused one delivered.
 */
public class MpscRingLincheckTest {

    private final MpscRing ring = new MpscRing(2);
    private final RingLedger ledger = new RingLedger();

    /** A producer offers a fresh element. */
    @Operation
    public void offer() {
        ledger.offer(ring);
    }

    /** The single consumer takes the oldest element, if published. */
    @Operation(nonParallelGroup = "consumer")
    public void poll() {
        ledger.took(ring.poll());
    }

    /** The single consumer drains a batch. */
    @Operation(nonParallelGroup = "consumer")
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
        RingLedger.modelCheck(MpscRingLincheckTest.class);
    }
}
