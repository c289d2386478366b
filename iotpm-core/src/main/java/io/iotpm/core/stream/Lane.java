package io.iotpm.core.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/*
 * The worker writes its progress counters after every batch, which is after every message or two
 * when it keeps up; publishers read the lane's other fields on every offer. Padding gives the
 * counters a cache line of their own, so those writes do not evict the line publishers read (false
 * sharing). Superclass fields come first in an object, so the counters sit between two pads.
 */
abstract class LanePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class LaneProgress extends LanePad0 {
    /** Messages the worker took and finished: delivered, failed, or abandoned on abort. Single writer. */
    volatile long settled;
    /** Messages the handler returned from normally. Single writer. */
    volatile long delivered;
}

abstract class LanePad1 extends LaneProgress {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/**
 * One queue of a subscriber and the worker that drains it into the handler. A worker that finds
 * its queue empty spins, then yields, then parks; a publisher unparks it only when it has
 * announced that it is parking, so the hot path costs one volatile read.
 */
final class Lane extends LanePad1 implements Runnable {

    static final int RUNNING = 0;
    static final int DRAINING = 1;
    static final int ABORTED = 2;

    private static final VarHandle SETTLED;
    private static final VarHandle DELIVERED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SETTLED = l.findVarHandle(LaneProgress.class, "settled", long.class);
            DELIVERED = l.findVarHandle(LaneProgress.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int BATCH = 256;
    /*
     * A worker that finds its ring empty waits this long before it looks again, without touching
     * the ring. Looking sooner pulls the cache lines of the slot the publisher is about to write
     * into the worker's cache after every message or two; the publisher must then fetch them back
     * for each store, and the CAS of its next offer waits for those fetches. A microsecond
     * lets it fill a few cache lines of slots first, so both sides move whole lines; a
     * message that arrives meanwhile waits at most that long.
     */
    private static final long BACKOFF_NANOS = 1_000L;
    /* Back-offs before the worker starts yielding: a few microseconds of spinning. */
    private static final int SPINS = 8;
    /*
     * After spinning, an idle worker yields for up to this long before it parks. Yielding keeps it
     * runnable (a publisher does not pay for an unpark system call) while giving the CPU away, which
     * matters on oversubscribed machines; parking after a millisecond keeps an idle hub at zero CPU.
     */
    private static final long YIELD_NANOS = 1_000_000L;
    /* Parking is bounded only as a safety net; wake-ups come from unpark. */
    private static final long PARK_NANOS = 50_000_000L;

    final Ring ring;
    private final Subscriber<?> owner;
    private final int index;
    private Thread thread;
    volatile boolean waiting;
    volatile int state = RUNNING;
    volatile boolean terminated;
    /** Messages removed from the ring by anyone but the worker (DROP_OLDEST, close). */
    final AtomicLong polled = new AtomicLong();

    Lane(Subscriber<?> owner, int index, int capacity, boolean multiConsumer) {
        this.owner = owner;
        this.index = index;
        this.ring = multiConsumer ? new MpmcRing(capacity) : new MpscRing(capacity);
    }

    void start(Thread t) {
        this.thread = t;
        t.start();
    }

    Thread thread() {
        return thread;
    }

    int index() {
        return index;
    }

    /** Called by publishers after a successful offer. */
    void signal() {
        if (waiting) {
            LockSupport.unpark(thread);
        }
    }

    void stop(int newState) {
        state = newState;
        LockSupport.unpark(thread);
    }

    /**
     * Everything that entered the ring minus everything that left it finished. The counters are
     * read before the tail, so a concurrent change can only overstate the lag: a reader that sees
     * 0 knows the lane was idle at that moment.
     */
    long lag() {
        long done = settled + polled.get();
        return ring.enqueued() - done;
    }

    private static void backOff() {
        long until = System.nanoTime() + BACKOFF_NANOS;
        do {
            Thread.onSpinWait();
        } while (System.nanoTime() - until < 0);
    }

    /** @return messages the handler returned from normally */
    long delivered() {
        return delivered;
    }

    private void publishProgress(long deliveredNow, long settledNow) {
        // Ordered writes suffice: the worker is the only writer, and metrics readers need no fence.
        DELIVERED.setRelease(this, deliveredNow);
        SETTLED.setRelease(this, settledNow);
    }

    @Override
    public void run() {
        Object[] batch = new Object[BATCH];
        long settledLocal = 0;
        long deliveredLocal = 0;
        int idle = 0;
        long idleSince = 0;
        try {
            while (true) {
                int n = ring.drain(batch, BATCH);
                if (n > 0) {
                    idle = 0;
                    for (int k = 0; k < n; k++) {
                        Object m = batch[k];
                        batch[k] = null;
                        if (state == ABORTED) {
                            owner.abandoned(n - k);
                            settledLocal += n - k;
                            publishProgress(deliveredLocal, settledLocal);
                            Arrays.fill(batch, k, n, null);
                            return;
                        }
                        if (owner.handle(m)) {
                            deliveredLocal++;
                        }
                        settledLocal++;
                    }
                    // Published once per batch: metrics readers see a lag that is never too small.
                    publishProgress(deliveredLocal, settledLocal);
                    continue;
                }
                int st = state;
                if (st == ABORTED || st == DRAINING && ring.isEmpty()) {
                    return;
                }
                if (++idle < SPINS) {
                    backOff();
                } else if (idle == SPINS) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    waiting = true;
                    // Dekker with Subscriber.offer: waiting is written before tail is read here, and a
                    // publisher CASes tail before it reads waiting, so one of the two sees the other.
                    if (ring.isEmpty() && state == RUNNING) {
                        LockSupport.parkNanos(this, PARK_NANOS);
                    }
                    waiting = false;
                    Thread.interrupted();
                }
            }
        } finally {
            terminated = true;
        }
    }
}
