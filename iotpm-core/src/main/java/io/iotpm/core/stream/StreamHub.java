package io.iotpm.core.stream;

import io.iotpm.core.SensorReading;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Publish/subscribe of typed, device-keyed messages between the parts of a monitoring system:
 * simulators and ingestion publish {@link Topic#READINGS}, the pipeline publishes
 * {@link Topic#PREDICTIONS}, dashboards and alerting subscribe.
 *
 * <p>Guarantees every implementation keeps (held by one contract test suite):
 * <ul>
 *   <li>messages with the same key reach each subscriber in publish order;</li>
 *   <li>each subscriber has a bounded queue and an {@link Overflow} policy, and every message it
 *       does not get is counted;</li>
 *   <li>a handler that throws loses that one message (counted, logged with the device id) and
 *       keeps receiving; other subscribers never notice;</li>
 *   <li>{@link #close(Duration)} drains queued messages within the timeout, then stops every
 *       thread the hub started.</li>
 * </ul>
 *
 * <pre>{@code
 * try (StreamHub hub = StreamHub.inMemory().capacity(65_536).overflow(Overflow.BLOCK).build()) {
 *     Subscription s = hub.subscribe(Topic.READINGS, r -> System.out.println(r.deviceId()));
 *     hub.publish(reading);
 * }
 * }</pre>
 */
public interface StreamHub extends AutoCloseable {

    /** @return a builder for the in-process hub, with the defaults documented on its setters */
    static InMemoryHubBuilder inMemory() {
        return new InMemoryHubBuilder();
    }

    /**
     * Offers a message to every current subscriber of its topic; a topic without subscribers
     * discards it. Returns once every subscriber queued (or by its policy dropped) it.
     *
     * @param topic   the topic
     * @param message the message; its key is {@link Topic#key(Object)}
     * @param <T>     the message type
     * @throws StreamOverflowException if a {@link Overflow#FAIL} subscriber's queue is full (the
     *                                 others got the message)
     * @throws IllegalStateException   if the hub is closed
     * @throws IllegalArgumentException if this hub uses the topic name for another message type
     */
    <T> void publish(Topic<T> topic, T message);

    /**
     * Publishes a reading to {@link Topic#READINGS}.
     *
     * @param reading the reading
     * @see #publish(Topic, Object)
     */
    default void publish(SensorReading reading) {
        publish(Topic.READINGS, reading);
    }

    /**
     * Subscribes a handler with the hub's default options.
     *
     * @param topic   the topic
     * @param handler called once per message, on a hub thread, in per-device order
     * @param <T>     the message type
     * @return the subscription
     * @see #subscribe(Topic, SubscriberOptions, Consumer)
     */
    default <T> Subscription subscribe(Topic<T> topic, Consumer<? super T> handler) {
        return subscribe(topic, SubscriberOptions.defaults(), handler);
    }

    /**
     * Subscribes a handler. It sees messages published from now on.
     *
     * @param topic   the topic
     * @param options name, capacity, overflow policy, lanes
     * @param handler called once per message, on a hub thread, in per-device order; should not
     *                publish with {@link Overflow#BLOCK} to a topic whose queue only it drains
     * @param <T>     the message type
     * @return the subscription
     * @throws IllegalArgumentException if the name is taken or the topic name is used for another type
     * @throws IllegalStateException    if the hub is closed
     */
    <T> Subscription subscribe(Topic<T> topic, SubscriberOptions options, Consumer<? super T> handler);

    /** @return every open subscription's metrics, in subscription order */
    List<SubscriberMetrics> metrics();

    /** @return whether {@link #close()} was called */
    boolean isClosed();

    /**
     * Stops accepting messages, lets every subscriber drain its queue within {@code timeout}, then
     * stops every thread the hub started; messages still queued then are counted as dropped.
     * Idempotent.
     *
     * @param timeout how long draining may take
     * @return whether everything queued was handled in time
     */
    boolean close(Duration timeout);

    /** Closes with the implementation's default timeout (see {@link #close(Duration)}). */
    @Override
    void close();
}
