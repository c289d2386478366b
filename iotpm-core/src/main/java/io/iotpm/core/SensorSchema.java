package io.iotpm.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An ordered, immutable list of {@link Channel}s: the shape of every {@link SensorReading} of a
 * kind of machine. Readings hold their values in schema order, so a reading never needs a map.
 *
 * <p>Two schemas are equal when their names and channels are equal; storage backends and models
 * use that to refuse data written with a different schema.
 */
public final class SensorSchema {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String name;
    private final List<Channel> channels;
    private final Map<String, Integer> index;
    private final String[] names;

    private SensorSchema(String name, List<Channel> channels) {
        this.name = name;
        this.channels = List.copyOf(channels);
        this.index = new HashMap<>(channels.size() * 2);
        this.names = new String[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            this.index.put(channels.get(i).name(), i);
            this.names[i] = channels.get(i).name();
        }
    }

    /**
     * The ten channels of the original system's industrial motor, with its baselines: temperature
     * 65 °C, vibration x/y/z 0.5/0.4/0.3 mm/s, pressure 2.5 bar, 1800 rpm, 15 A, 220 V, power
     * factor 0.95 and 45 dB of noise. Normal ranges follow the original's alert thresholds
     * (temperature up to 85 °C) and ISO 10816 vibration severity for small machines (up to 2.8 mm/s).
     *
     * @return the schema named {@code industrial_motor}
     */
    public static SensorSchema industrialMotor() {
        return MotorHolder.MOTOR;
    }

    /**
     * Starts a schema.
     *
     * @param name schema name, {@code [A-Za-z0-9_.-]{1,64}}
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the schema name */
    public String name() {
        return name;
    }

    /** @return the channels in order (immutable) */
    public List<Channel> channels() {
        return channels;
    }

    /** @return the number of channels */
    public int size() {
        return channels.size();
    }

    /** @return the channel at {@code i} */
    public Channel channel(int i) {
        return channels.get(i);
    }

    /** @return the name of the channel at {@code i} */
    public String channelName(int i) {
        return names[i];
    }

    /**
     * @param channel a channel name
     * @return its position, or -1 when the schema has no such channel
     */
    public int indexOf(String channel) {
        Integer i = index.get(channel);
        return i == null ? -1 : i;
    }

    /**
     * @param channel a channel name
     * @return its position
     * @throws IllegalArgumentException naming the known channels when there is no such channel
     */
    public int requireIndex(String channel) {
        Integer i = index.get(channel);
        if (i == null) {
            throw new IllegalArgumentException("unknown channel '" + channel + "' for schema '" + name
                    + "'; known channels: " + String.join(", ", names));
        }
        return i;
    }

    /** @return whether the schema has a channel of that name */
    public boolean has(String channel) {
        return index.containsKey(channel);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SensorSchema s && s.name.equals(name) && s.channels.equals(channels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, channels);
    }

    @Override
    public String toString() {
        return "SensorSchema[" + name + ", " + String.join(",", names) + "]";
    }

    /** Builds a {@link SensorSchema}; {@link #build()} checks names are unique. */
    public static final class Builder {
        private final String name;
        private final List<Channel> channels = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Appends a channel. */
        public Builder channel(Channel channel) {
            channels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /** Appends a channel built with {@link Channel#builder(String)}. */
        public Builder channel(Channel.Builder channel) {
            return channel(channel.build());
        }

        /**
         * @return the schema
         * @throws IllegalArgumentException if the name is invalid, there is no channel, or two share a name
         */
        public SensorSchema build() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("schema name must match [A-Za-z0-9_.-]{1,64}, but was '" + name + "'");
            }
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("schema '" + name + "' needs at least one channel");
            }
            Map<String, Boolean> seen = new HashMap<>();
            for (Channel c : channels) {
                if (seen.put(c.name(), Boolean.TRUE) != null) {
                    throw new IllegalArgumentException("schema '" + name + "' has channel '" + c.name() + "' twice");
                }
            }
            return new SensorSchema(name, channels);
        }
    }

    // Lazy holder: nothing is built when SensorSchema loads unless the motor schema is used.
    private static final class MotorHolder {
        static final SensorSchema MOTOR = builder("industrial_motor")
                .channel(Channel.builder("temperature").unit("°C").nominal(65).normalRange(45, 85).physicalRange(-40, 200))
                .channel(Channel.builder("vibration_x").unit("mm/s").nominal(0.5).normalRange(0, 2.8).physicalRange(0, 50))
                .channel(Channel.builder("vibration_y").unit("mm/s").nominal(0.4).normalRange(0, 2.8).physicalRange(0, 50))
                .channel(Channel.builder("vibration_z").unit("mm/s").nominal(0.3).normalRange(0, 2.8).physicalRange(0, 50))
                .channel(Channel.builder("pressure").unit("bar").nominal(2.5).normalRange(2.0, 3.0).physicalRange(0, 20))
                .channel(Channel.builder("rpm").unit("rpm").nominal(1800).normalRange(1700, 1900).physicalRange(0, 6000))
                .channel(Channel.builder("current").unit("A").nominal(15).normalRange(10, 20).physicalRange(0, 200))
                .channel(Channel.builder("voltage").unit("V").nominal(220).normalRange(209, 231).physicalRange(0, 480))
                .channel(Channel.builder("power_factor").unit("").nominal(0.95).normalRange(0.85, 1.0).physicalRange(0, 1))
                .channel(Channel.builder("noise").unit("dB").nominal(45).normalRange(35, 65).physicalRange(0, 140))
                .build();
    }
}
