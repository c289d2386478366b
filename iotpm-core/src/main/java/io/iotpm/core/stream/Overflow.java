package io.iotpm.core.stream;

/**
 * What a publisher does when a subscriber's bounded queue is full. Every message a subscriber
 * does not get is counted in its {@link SubscriberMetrics#dropped()}.
 */
public enum Overflow {
    /** Wait until the subscriber makes room: lossless back-pressure on the publisher (the default). */
    BLOCK,
    /** Discard the oldest queued message to make room: a live view that always shows the newest. */
    DROP_OLDEST,
    /** Discard the message being published; the queue keeps the older ones. */
    DROP_NEWEST,
    /**
     * Reject: {@code publish} throws {@link StreamOverflowException} after offering the message to
     * the other subscribers.
     */
    FAIL
}
