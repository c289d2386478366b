package io.iotpm.core.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/* Producers' line: their position and their cached view of the consumer's. */
abstract class MpscPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class MpscTail extends MpscPad0 {
    volatile long tail;
    // Volatile so no producer can read a torn value; written only about once per lap.
    volatile long producerLimit;
}

abstract class MpscPad1 extends MpscTail {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/* Consumer's line. */
abstract class MpscHead extends MpscPad1 {
    volatile long head;
}

abstract class MpscPad2 extends MpscHead {
    long p20, p21, p22, p23, p24, p25, p26, p27;
}

/**
 * A bounded multi-producer, single-consumer ring in the style of the LMAX Disruptor's multi-producer
 * sequencer. Producers claim a position with a CAS on {@code tail} (checked against a cached
 * consumer position, so they rarely read the consumer's line), store the element and then the
 * position's lap number in {@code avail}. The consumer checks lap numbers, copies a batch out and
 * frees it with a single ordered write of {@code head}; it never writes to the slots, so producer
 * and consumer do not fight over the slots' cache lines. Slots keep their last element until it
 * is overwritten one lap later (as in the Disruptor), so up to {@code capacity} delivered messages
 * stay reachable.
 */
final class MpscRing extends MpscPad2 implements Ring {

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle AVAIL = MethodHandles.arrayElementVarHandle(int[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(MpscTail.class, "tail", long.class);
            HEAD = l.findVarHandle(MpscHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] items;
    private final int[] avail;
    private final int mask;
    private final int shift;

    MpscRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two, but was " + capacity);
        }
        items = new Object[capacity];
        avail = new int[capacity];
        // Lap -1 marks "never written", so position 0 (lap 0) is not available yet.
        Arrays.fill(avail, -1);
        mask = capacity - 1;
        shift = Integer.numberOfTrailingZeros(capacity);
        producerLimit = capacity;
    }

    @Override
    public int capacity() {
        return mask + 1;
    }

    @Override
    public boolean offer(Object e) {
        long pos;
        do {
            pos = tail;
            if (pos >= producerLimit) {
                long limit = head + mask + 1;
                producerLimit = limit;
                if (pos >= limit) {
                    return false;
                }
            }
        } while (!TAIL.compareAndSet(this, pos, pos + 1));
        int i = (int) pos & mask;
        items[i] = e;
        // Release: the element is visible to a consumer that acquires this lap number.
        AVAIL.setRelease(avail, i, (int) (pos >>> shift));
        return true;
    }

    @Override
    public Object poll() {
        long pos = head;
        int i = (int) pos & mask;
        if ((int) AVAIL.getAcquire(avail, i) != (int) (pos >>> shift)) {
            return null;
        }
        Object e = items[i];
        items[i] = null;
        HEAD.setRelease(this, pos + 1);
        return e;
    }

    @Override
    public int drain(Object[] out, int max) {
        long pos = head;
        int n = 0;
        while (n < max) {
            long p = pos + n;
            int i = (int) p & mask;
            if ((int) AVAIL.getAcquire(avail, i) != (int) (p >>> shift)) {
                break;
            }
            out[n++] = items[i];
        }
        if (n > 0) {
            HEAD.setRelease(this, pos + n);
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return tail == head;
    }

    @Override
    public long size() {
        long h = head;
        long t = tail;
        return Math.max(0, Math.min(t - h, mask + 1));
    }

    @Override
    public long enqueued() {
        return tail;
    }
}
