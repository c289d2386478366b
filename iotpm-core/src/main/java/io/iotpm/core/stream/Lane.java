package io.iotpm.core.stream;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue of a subscriber and the worker that drains it into the handler. A worker that finds
 * its queue empty spins, then yields, then parks; a publisher unparks it only when it has
 * announced that it is parking, so the hot path costs one volatile read.
 */
final class Lane implements Runnable {

    static final int RUNNING = 0;
    static final int DRAINING = 1;
    static final int ABORTED = 2;

    private static final int BATCH = 256;
    private static final int SPINS = 100;
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
    /** Messages the worker took and finished: delivered, failed, or abandoned on abort. Single writer. */
    final AtomicLong settled = new AtomicLong();
    /** Messages the handler returned from normally. Single writer. */
    final AtomicLong delivered = new AtomicLong();

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
        long done = settled.get() + polled.get();
        return ring.enqueued() - done;
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
                            delivered.lazySet(deliveredLocal);
                            settled.lazySet(settledLocal);
                            Arrays.fill(batch, k, n, null);
                            return;
                        }
                        if (owner.handle(m)) {
                            deliveredLocal++;
                        }
                        settledLocal++;
                    }
                    // Published once per batch: metrics readers see a lag that is never too small.
                    delivered.lazySet(deliveredLocal);
                    settled.lazySet(settledLocal);
                    continue;
                }
                int st = state;
                if (st == ABORTED || st == DRAINING && ring.isEmpty()) {
                    return;
                }
                if (++idle < SPINS) {
                    Thread.onSpinWait();
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
