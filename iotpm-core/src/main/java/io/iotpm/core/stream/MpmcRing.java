package io.iotpm.core.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/*
 * Padding keeps the producers' position and the consumer's position on different cache lines, so a
 * producer claiming a slot does not invalidate the line the consumer polls (false sharing).
 */
abstract class MpmcPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class MpmcTail extends MpmcPad0 {
    volatile long tail;
}

abstract class MpmcPad1 extends MpmcTail {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class MpmcHead extends MpmcPad1 {
    volatile long head;
}

abstract class MpmcPad2 extends MpmcHead {
    long p20, p21, p22, p23, p24, p25, p26, p27;
}

/**
 * A bounded multi-producer, multi-consumer ring (Dmitry Vyukov's algorithm): each slot carries a
 * sequence number that says whether it is free for the producer of position {@code p}
 * ({@code seq == p}) or filled for the consumer of {@code p} ({@code seq == p + 1}). Producers claim
 * positions with a CAS on {@code tail}; the consumer claims whole batches with one CAS on
 * {@code head}. Removal is multi-consumer because a {@link Overflow#DROP_OLDEST} publisher takes
 * the oldest element itself. Capacity is a power of two. Used for {@link Overflow#DROP_OLDEST}
 * lanes; the others use the faster {@link MpscRing}, whose consumer never writes to the slots.
 */
final class MpmcRing extends MpmcPad2 implements Ring {

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(MpmcTail.class, "tail", long.class);
            HEAD = l.findVarHandle(MpmcHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] items;
    private final AtomicLongArray seqs;
    private final int mask;

    MpmcRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two, but was " + capacity);
        }
        items = new Object[capacity];
        seqs = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            seqs.set(i, i);
        }
        mask = capacity - 1;
    }

    @Override
    public int capacity() {
        return mask + 1;
    }

    /** @return whether {@code e} was queued; {@code false} when full */
    @Override
    public boolean offer(Object e) {
        long pos = tail;
        while (true) {
            int i = (int) pos & mask;
            long dif = seqs.getAcquire(i) - pos;
            if (dif == 0) {
                if (TAIL.compareAndSet(this, pos, pos + 1)) {
                    items[i] = e;
                    // Release: the item write is visible to whoever acquires this sequence.
                    seqs.setRelease(i, pos + 1);
                    return true;
                }
                pos = tail;
            } else if (dif < 0) {
                return false;
            } else {
                pos = tail;
            }
        }
    }

    /** @return the oldest element, removed, or {@code null} when empty */
    @Override
    public Object poll() {
        long pos = head;
        while (true) {
            int i = (int) pos & mask;
            long dif = seqs.getAcquire(i) - (pos + 1);
            if (dif == 0) {
                if (HEAD.compareAndSet(this, pos, pos + 1)) {
                    Object e = items[i];
                    items[i] = null;
                    seqs.setRelease(i, pos + mask + 1);
                    return e;
                }
                pos = head;
            } else if (dif < 0) {
                return null;
            } else {
                pos = head;
            }
        }
    }

    /**
     * Removes up to {@code max} of the oldest elements into {@code out[0..n)}.
     *
     * @return how many were removed
     */
    @Override
    public int drain(Object[] out, int max) {
        while (true) {
            long pos = head;
            int n = 0;
            while (n < max && seqs.getAcquire((int) (pos + n) & mask) == pos + n + 1) {
                n++;
            }
            if (n == 0) {
                return 0;
            }
            // One CAS claims the whole batch; it fails only if a DROP_OLDEST publisher took the head.
            if (HEAD.compareAndSet(this, pos, pos + n)) {
                for (int k = 0; k < n; k++) {
                    int i = (int) (pos + k) & mask;
                    out[k] = items[i];
                    items[i] = null;
                    seqs.setRelease(i, pos + k + mask + 1);
                }
                return n;
            }
        }
    }

    /**
     * Whether no position has been claimed beyond the head. A volatile read of {@code tail}, which
     * producers CAS before they look at the consumer's waiting flag: the two form the Dekker pair
     * that makes a lost wake-up impossible.
     */
    @Override
    public boolean isEmpty() {
        return tail == head;
    }

    @Override
    public long enqueued() {
        return tail;
    }

    /** @return elements claimed and not yet removed (approximate under concurrency) */
    @Override
    public long size() {
        long h = head;
        long t = tail;
        return Math.max(0, Math.min(t - h, mask + 1));
    }
}
