package io.iotpm.core.stream;

/**
 * What a subscriber tells a hub that remembers how far each subscriber got (a durable log such as
 * Kafka, whose consumer groups commit offsets). Such a hub calls {@link #beforeCommit()} before it
 * commits the position of the messages it has handed to the handler, and commits only when the
 * hook says they are durable: a subscriber that buffers (the monitoring pipeline batches readings
 * for storage) flushes there, so a crash redelivers what was not stored instead of losing it.
 * {@link #onReassigned()} says the set of devices this subscriber receives changed (a rebalance
 * moved partitions between the members of a group): per-device state built from earlier messages
 * may be incomplete, and messages handled before by another member may come again.
 *
 * <p>The in-memory hub never commits and never reassigns, so it never calls the hook: setting one
 * costs it nothing. Both methods run on the subscriber's delivery thread, never concurrently with
 * its handler.
 *
 * @see SubscriberOptions.Builder#deliveryHook(DeliveryHook)
 */
public interface DeliveryHook {

    /** The hook of a subscriber that keeps nothing: every handled message counts as done. */
    DeliveryHook NONE = new DeliveryHook() {
    };

    /**
     * Makes everything the handler was given so far durable, e.g. by flushing a buffer to storage.
     *
     * @return whether it is; when {@code false} the hub keeps the old position, so after a crash
     *         those messages are delivered again
     */
    default boolean beforeCommit() {
        return true;
    }

    /**
     * The devices this subscriber receives changed; called after {@link #beforeCommit()} for the
     * devices it loses and before the first message of the devices it gains.
     */
    default void onReassigned() {
    }
}
