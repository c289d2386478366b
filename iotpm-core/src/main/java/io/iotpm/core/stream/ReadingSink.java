package io.iotpm.core.stream;

import io.iotpm.core.SensorReading;

import java.util.Objects;

/**
 * Where a {@link FleetStreamer} sends the readings it simulates: a {@link StreamHub} (see
 * {@link #of(StreamHub)}) or anything else that takes readings one at a time, such as an MQTT
 * publisher acting as a fleet of devices.
 *
 * <p>A sink that refuses one reading throws {@link StreamOverflowException} (the streamer counts it
 * and goes on); a sink that is closed throws {@link IllegalStateException} and reports
 * {@link #isClosed()} (the streamer stops).
 */
@FunctionalInterface
public interface ReadingSink {

    /**
     * Takes one reading.
     *
     * @param reading the reading
     * @throws StreamOverflowException if this one reading is refused
     * @throws IllegalStateException   if the sink is closed
     */
    void accept(SensorReading reading);

    /** @return whether the sink is closed for good; default {@code false} */
    default boolean isClosed() {
        return false;
    }

    /**
     * @param hub a hub
     * @return a sink publishing to the hub's {@link Topic#READINGS}, closed when the hub is
     */
    static ReadingSink of(StreamHub hub) {
        Objects.requireNonNull(hub, "hub");
        return new ReadingSink() {
            @Override
            public void accept(SensorReading reading) {
                hub.publish(Topic.READINGS, reading);
            }

            @Override
            public boolean isClosed() {
                return hub.isClosed();
            }
        };
    }
}
