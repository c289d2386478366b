package io.iotpm.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of every channel of a device at one time. Values are held in schema order in a
 * {@code double[]} (the hot path never builds a map); {@link #toMap()} gives a map view for the edges.
 *
 * <p>Instances are immutable and validated on creation: the device id by {@link DeviceIds}, each
 * value by its {@link Channel#checkValue(double) channel} (no infinity, no NaN unless the channel
 * allows missing values, nothing outside the physical range).
 *
 * <p>A reading may carry a health score in {@code [0, 100]}: ground truth from the simulator, or
 * NaN (the default) for real sensor data. Models never learn from it.
 */
public final class SensorReading {

    private final String deviceId;
    private final Instant timestamp;
    private final SensorSchema schema;
    private final double[] values;
    private final double healthScore;

    private SensorReading(String deviceId, Instant timestamp, SensorSchema schema, double[] values,
                          double healthScore) {
        this.deviceId = deviceId;
        this.timestamp = timestamp;
        this.schema = schema;
        this.values = values;
        this.healthScore = healthScore;
    }

    /**
     * Creates a validated reading without a health score.
     *
     * @param deviceId  device id, see {@link DeviceIds}
     * @param timestamp sample time
     * @param schema    the channels
     * @param values    one value per channel in schema order (copied)
     * @return the reading
     * @throws IllegalArgumentException naming the device, channel and value that is not acceptable
     */
    public static SensorReading of(String deviceId, Instant timestamp, SensorSchema schema, double... values) {
        return of(deviceId, timestamp, schema, values, Double.NaN);
    }

    /**
     * Creates a validated reading.
     *
     * @param deviceId    device id, see {@link DeviceIds}
     * @param timestamp   sample time, within {@link Timestamps#MIN} .. {@link Timestamps#MAX}
     * @param schema      the channels
     * @param values      one value per channel in schema order (copied)
     * @param healthScore health score in {@code [0, 100]}, or NaN when unknown
     * @return the reading
     * @throws IllegalArgumentException naming the device, channel and value that is not acceptable
     */
    public static SensorReading of(String deviceId, Instant timestamp, SensorSchema schema, double[] values,
                                   double healthScore) {
        DeviceIds.requireValid(deviceId);
        Timestamps.requireValid(timestamp, "reading of device '" + deviceId + "'");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(values, "values");
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("reading of device '" + deviceId + "' has " + values.length
                    + " values, but schema '" + schema.name() + "' has " + schema.size() + " channels");
        }
        for (int i = 0; i < values.length; i++) {
            String problem = schema.channel(i).checkValue(values[i]);
            if (problem != null) {
                throw new IllegalArgumentException("reading of device '" + deviceId + "' at " + timestamp + ": " + problem);
            }
        }
        if (!Double.isNaN(healthScore) && !(healthScore >= 0 && healthScore <= 100)) {
            throw new IllegalArgumentException("health score must be in [0, 100] or NaN, but was " + healthScore);
        }
        return new SensorReading(deviceId, timestamp, schema, values.clone(), healthScore);
    }

    /**
     * Starts a reading by channel name, for code at the edges (tests, JSON, forms).
     *
     * @param schema the channels; every one must be set unless it allows missing values
     * @return a builder
     */
    public static Builder builder(SensorSchema schema) {
        return new Builder(schema);
    }

    /** @return the device id */
    public String deviceId() {
        return deviceId;
    }

    /** @return the sample time */
    public Instant timestamp() {
        return timestamp;
    }

    /** @return the schema the values follow */
    public SensorSchema schema() {
        return schema;
    }

    /** @return the value of channel {@code i} in schema order */
    public double value(int i) {
        return values[i];
    }

    /**
     * @param channel a channel name
     * @return its value
     * @throws IllegalArgumentException if the schema has no such channel
     */
    public double value(String channel) {
        return values[schema.requireIndex(channel)];
    }

    /** @return a copy of the values in schema order */
    public double[] values() {
        return values.clone();
    }

    /**
     * Copies the values into {@code target} at {@code offset}, for code that packs many readings
     * into one array (model windows, column batches) without an intermediate copy.
     */
    public void copyValuesTo(double[] target, int offset) {
        System.arraycopy(values, 0, target, offset, values.length);
    }

    /** @return the health score in {@code [0, 100]}, or NaN when unknown */
    public double healthScore() {
        return healthScore;
    }

    /** @return the status for {@link #healthScore()}, {@link HealthStatus#UNKNOWN} when there is none */
    public HealthStatus status() {
        return HealthStatus.fromScore(healthScore);
    }

    /**
     * @param healthScore the health score in {@code [0, 100]}, or NaN
     * @return a copy of this reading with that score
     */
    public SensorReading withHealthScore(double healthScore) {
        if (!Double.isNaN(healthScore) && !(healthScore >= 0 && healthScore <= 100)) {
            throw new IllegalArgumentException("health score must be in [0, 100] or NaN, but was " + healthScore);
        }
        return new SensorReading(deviceId, timestamp, schema, values, healthScore);
    }

    /** @return channel name → value, in schema order (a new, mutable map) */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            m.put(schema.channelName(i), values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SensorReading r
                && r.deviceId.equals(deviceId) && r.timestamp.equals(timestamp) && r.schema.equals(schema)
                && Arrays.equals(r.values, values)
                && Double.compare(r.healthScore, healthScore) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(deviceId, timestamp, schema.name()) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SensorReading[").append(deviceId).append(" @ ").append(timestamp);
        for (int i = 0; i < values.length; i++) {
            b.append(", ").append(schema.channelName(i)).append('=').append(values[i]);
        }
        if (!Double.isNaN(healthScore)) {
            b.append(", health=").append(healthScore);
        }
        return b.append(']').toString();
    }

    /** Builds a {@link SensorReading} by channel name. Unset channels are NaN (missing). */
    public static final class Builder {
        private final SensorSchema schema;
        private final double[] values;
        private String deviceId;
        private Instant timestamp;
        private double healthScore = Double.NaN;

        private Builder(SensorSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            this.values = new double[schema.size()];
            Arrays.fill(values, Double.NaN);
        }

        /** @param deviceId the device id, validated in {@link #build()} */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** @param timestamp the sample time */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /**
         * @param channel a channel of the schema
         * @param value   its value
         * @throws IllegalArgumentException if the schema has no such channel
         */
        public Builder value(String channel, double value) {
            values[schema.requireIndex(channel)] = value;
            return this;
        }

        /** @param healthScore health score in {@code [0, 100]}; default NaN (unknown) */
        public Builder healthScore(double healthScore) {
            this.healthScore = healthScore;
            return this;
        }

        /**
         * @return the reading
         * @throws IllegalArgumentException on an invalid device id or value
         * @throws NullPointerException     when the timestamp is missing
         */
        public SensorReading build() {
            return of(deviceId, timestamp, schema, values, healthScore);
        }
    }
}
