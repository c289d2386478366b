package io.iotpm.core.stream;

/**
 * A snapshot of one subscriber's counters. Counters only grow; depth and lag are instantaneous.
 * After the hub is idle, {@code delivered + failed + dropped} equals the number of messages
 * published to the topic while the subscription was open.
 *
 * @param subscriber the subscriber's name
 * @param topic      the topic name
 * @param overflow   its overflow policy
 * @param capacity   its queue capacity (summed over its lanes)
 * @param delivered  messages its handler returned from normally
 * @param failed     messages its handler threw on (each logged with the device id)
 * @param dropped    messages it never saw: overflow drops, FAIL rejections, and messages still
 *                   queued when a close timed out
 * @param queueDepth messages waiting in its queue now
 * @param lag        messages published to it but not handled yet: queue depth plus the messages
 *                   its worker has taken but not finished (Kafka's consumer lag, in messages)
 */
public record SubscriberMetrics(String subscriber, String topic, Overflow overflow, int capacity,
                                long delivered, long failed, long dropped, long queueDepth, long lag) {

    /** @return {@code delivered + failed}: messages the handler was called with */
    public long handled() {
        return delivered + failed;
    }
}
