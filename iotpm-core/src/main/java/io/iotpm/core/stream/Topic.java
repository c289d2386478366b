package io.iotpm.core.stream;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;

import java.util.Objects;
import java.util.function.Function;

/**
 * A named, typed stream of messages, each keyed by the device it concerns. Per-device order is
 * what a {@link StreamHub} preserves: messages with the same key reach every subscriber in the
 * order they were published (a Kafka adapter maps the key to the record key, so one device stays
 * on one partition).
 *
 * <p>{@link #READINGS} and {@link #PREDICTIONS} are the pipeline's topics. Alerts are defined in
 * {@code iotpm-alerts}, which core cannot see, so that module declares its topic with
 * {@link #alerts(Class, Function)}; any module may declare further topics with
 * {@link #of(String, Class, Function)}. A hub accepts one message type per topic name.
 *
 * @param <T> the message type
 */
public final class Topic<T> {

    /** Name of the readings topic. */
    public static final String READINGS_NAME = "readings";
    /** Name of the predictions topic. */
    public static final String PREDICTIONS_NAME = "predictions";
    /** Name of the alerts topic. */
    public static final String ALERTS_NAME = "alerts";

    /** Sensor readings, keyed by device id: what simulators, replays and ingestion publish. */
    public static final Topic<SensorReading> READINGS =
            new Topic<>(READINGS_NAME, SensorReading.class, SensorReading::deviceId);
    /** Predictions, keyed by device id: what the monitoring pipeline publishes. */
    public static final Topic<Prediction> PREDICTIONS =
            new Topic<>(PREDICTIONS_NAME, Prediction.class, Prediction::deviceId);

    private final String name;
    private final Class<T> type;
    private final Function<? super T, String> key;

    private Topic(String name, Class<T> type, Function<? super T, String> key) {
        this.name = name;
        this.type = type;
        this.key = key;
    }

    /**
     * Declares a topic.
     *
     * @param name topic name, {@code [a-z0-9._-]{1,64}} (safe as a Kafka topic name)
     * @param type the message class
     * @param key  gives the device id of a message; never returns {@code null}
     * @param <T>  the message type
     * @return the topic
     * @throws IllegalArgumentException if the name is not acceptable
     */
    public static <T> Topic<T> of(String name, Class<T> type, Function<? super T, String> key) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("topic name must match [a-z0-9._-]{1,64}, but was '" + name + "'");
        }
        return new Topic<>(name, Objects.requireNonNull(type, "type"), Objects.requireNonNull(key, "key"));
    }

    /**
     * Declares the {@value #ALERTS_NAME} topic for the alert type of {@code iotpm-alerts} (or a host's own).
     *
     * @param type the alert class
     * @param key  gives the device id of an alert
     * @param <A>  the alert type
     * @return the topic named {@value #ALERTS_NAME}
     */
    public static <A> Topic<A> alerts(Class<A> type, Function<? super A, String> key) {
        return of(ALERTS_NAME, type, key);
    }

    /** @return the topic name */
    public String name() {
        return name;
    }

    /** @return the message class */
    public Class<T> type() {
        return type;
    }

    /**
     * @param message a message of this topic
     * @return its key (device id)
     * @throws NullPointerException if the key function returns {@code null}
     */
    public String key(T message) {
        String k = key.apply(message);
        if (k == null) {
            throw new NullPointerException("topic '" + name + "': key of message " + message + " is null");
        }
        return k;
    }

    /** Topics are equal when name and message type are. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Topic<?> t && t.name.equals(name) && t.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "Topic[" + name + ": " + type.getSimpleName() + "]";
    }
}
