package io.iotpm.core.stream;

/**
 * A bounded queue of one lane: many publishers offer, the lane's worker drains. Capacity is a
 * power of two.
 */
interface Ring {

    /** @return the capacity */
    int capacity();

    /** @return whether {@code e} was queued; {@code false} when full */
    boolean offer(Object e);

    /**
     * Removes the oldest element. {@link MpscRing} allows this only when its worker has stopped;
     * {@link MpmcRing} allows it from any thread (a DROP_OLDEST publisher).
     *
     * @return the element, or {@code null} when empty
     */
    Object poll();

    /**
     * Removes up to {@code max} of the oldest elements into {@code out[0..n)}; worker only.
     *
     * @return how many were removed
     */
    int drain(Object[] out, int max);

    /**
     * Whether no position has been claimed beyond the consumer's. A volatile read of the producers'
     * position, which they CAS before they read the worker's waiting flag: the Dekker pair that
     * rules out a lost wake-up.
     */
    boolean isEmpty();

    /** @return elements queued now (approximate under concurrency) */
    long size();

    /** @return how many elements were ever queued (the producers' position) */
    long enqueued();
}
