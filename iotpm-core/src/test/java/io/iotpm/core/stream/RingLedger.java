package io.iotpm.core.stream;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What a lincheck scenario did to a ring: every offer gets a fresh id, the ledger notes which offers the ring
 * accepted and how often each id came out. {@link #check(Ring)} drains what is left and fails if an accepted
 * element is missing (lost or stranded), came out twice (duplicated) or a refused one came out at all.
 */
final class RingLedger {

    // A scenario has at most a few dozen operations; ids beyond this would be a test bug.
    private static final int MAX_IDS = 256;

    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicIntegerArray accepted = new AtomicIntegerArray(MAX_IDS);
    private final AtomicIntegerArray taken = new AtomicIntegerArray(MAX_IDS);

    void offer(Ring ring) {
        int id = ids.getAndIncrement();
        if (ring.offer(id)) {
            accepted.set(id, 1);
        }
    }

    void took(Object e) {
        if (e != null) {
            taken.incrementAndGet((Integer) e);
        }
    }

    void drain(Ring ring, int max) {
        Object[] out = new Object[max];
        int n = ring.drain(out, max);
        for (int i = 0; i < n; i++) {
            took(out[i]);
        }
    }

    /** Drains the rest (quiescent now) and checks every id. */
    void check(Ring ring) {
        Object[] out = new Object[ring.capacity()];
        int n;
        while ((n = ring.drain(out, out.length)) > 0) {
            for (int i = 0; i < n; i++) {
                took(out[i]);
            }
        }
        for (int id = 0; id < ids.get(); id++) {
            int expected = accepted.get(id);
            if (taken.get(id) != expected) {
                throw new IllegalStateException("element " + id + (expected == 1 ? " was accepted" : " was refused")
                        + " but came out " + taken.get(id) + " times");
            }
        }
        if (!ring.isEmpty() || ring.size() != 0) {
            throw new IllegalStateException("ring drained but not empty: size " + ring.size());
        }
    }

    /**
     * Model-checks a ring test class: three threads of three operations, one before and one after. The
     * budget (defaults quick for {@code verify}) is raised with {@code -Diotpm.lincheck.iterations=N} and
     * {@code -Diotpm.lincheck.invocations=M}.
     */
    static void modelCheck(Class<?> test) {
        new ModelCheckingOptions().iterations(Integer.getInteger("iotpm.lincheck.iterations", 10))
                .invocationsPerIteration(Integer.getInteger("iotpm.lincheck.invocations", 300))
                .threads(3).actorsPerThread(3).actorsBefore(1).actorsAfter(1)
                .check(test);
    }
}
