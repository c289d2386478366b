package io.iotpm.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One sensor channel of a {@link SensorSchema}: its name, unit, nominal value, the range it
 * stays in while the machine is healthy, and the range the sensor can physically report.
 *
 * <p>A value outside the normal range is a symptom; a value outside the physical range is a
 * sensor fault (or a unit mistake) and is rejected where the data enters the library. Missing
 * values are represented as {@link Double#NaN} and are accepted only when {@link #missingAllowed()}
 * is {@code true}; infinities are never accepted.
 *
 * @param name           channel name, {@code [a-z][a-z0-9_]{0,63}} (it becomes a JSON field and an SQL column)
 * @param unit           unit symbol for display, possibly empty
 * @param nominal        the value of a healthy machine at normal load
 * @param normalMin      lower bound of the healthy range
 * @param normalMax      upper bound of the healthy range
 * @param physicalMin    lowest value the sensor can report
 * @param physicalMax    highest value the sensor can report
 * @param missingAllowed whether NaN (a missing value) is a legal value of this channel
 */
public record Channel(String name, String unit, double nominal, double normalMin, double normalMax,
                      double physicalMin, double physicalMax, boolean missingAllowed) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /**
     * Validates the channel.
     *
     * @throws IllegalArgumentException if the name is not a safe identifier or the ranges are not
     *                                  ordered {@code physicalMin <= normalMin <= nominal <= normalMax <= physicalMax}
     */
    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "channel name must match [a-z][a-z0-9_]{0,63}, but was '" + name + "'");
        }
        requireFinite(name, "nominal", nominal);
        requireFinite(name, "normalMin", normalMin);
        requireFinite(name, "normalMax", normalMax);
        requireFinite(name, "physicalMin", physicalMin);
        requireFinite(name, "physicalMax", physicalMax);
        if (!(physicalMin <= normalMin && normalMin <= nominal && nominal <= normalMax
                && normalMax <= physicalMax)) {
            throw new IllegalArgumentException("channel '" + name + "' needs physicalMin <= normalMin <= nominal"
                    + " <= normalMax <= physicalMax, but was " + physicalMin + " <= " + normalMin + " <= "
                    + nominal + " <= " + normalMax + " <= " + physicalMax);
        }
    }

    /**
     * Starts a channel definition.
     *
     * @param name channel name, {@code [a-z][a-z0-9_]{0,63}}
     * @return a builder; {@link Builder#build()} validates
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return whether {@code value} lies in {@code [normalMin, normalMax]} */
    public boolean isNormal(double value) {
        return value >= normalMin && value <= normalMax;
    }

    /** @return whether {@code value} lies in {@code [physicalMin, physicalMax]} */
    public boolean isPhysical(double value) {
        return value >= physicalMin && value <= physicalMax;
    }

    /**
     * Checks that {@code value} may be stored in this channel.
     *
     * @param value the value
     * @return an error message naming the channel and the value, or {@code null} if it is acceptable
     */
    public String checkValue(double value) {
        if (Double.isNaN(value)) {
            return missingAllowed ? null : "channel '" + name + "' does not allow missing (NaN) values";
        }
        if (Double.isInfinite(value)) {
            return "channel '" + name + "' must be finite, but was " + value;
        }
        if (!isPhysical(value)) {
            return "channel '" + name + "' must be within its physical range [" + physicalMin + ", "
                    + physicalMax + "] " + unit + ", but was " + value;
        }
        return null;
    }

    private static void requireFinite(String channel, String field, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("channel '" + channel + "': " + field + " must be finite, but was " + v);
        }
    }

    /** Builds a {@link Channel}; setters are named after the field, {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private String unit = "";
        private double nominal = Double.NaN;
        private double normalMin = Double.NEGATIVE_INFINITY;
        private double normalMax = Double.POSITIVE_INFINITY;
        private double physicalMin = -Double.MAX_VALUE;
        private double physicalMax = Double.MAX_VALUE;
        private boolean missingAllowed;

        private Builder(String name) {
            this.name = name;
        }

        /** @param unit unit symbol, e.g. {@code "°C"}; default empty */
        public Builder unit(String unit) {
            this.unit = Objects.requireNonNull(unit, "unit");
            return this;
        }

        /** @param nominal value at normal load; default the middle of the normal range */
        public Builder nominal(double nominal) {
            this.nominal = nominal;
            return this;
        }

        /** @param min lower bound of the healthy range @param max upper bound; default the physical range */
        public Builder normalRange(double min, double max) {
            this.normalMin = min;
            this.normalMax = max;
            return this;
        }

        /** @param min lowest reportable value @param max highest reportable value; default unbounded finite */
        public Builder physicalRange(double min, double max) {
            this.physicalMin = min;
            this.physicalMax = max;
            return this;
        }

        /** Lets this channel hold NaN as "missing"; by default NaN is rejected. */
        public Builder allowMissing() {
            this.missingAllowed = true;
            return this;
        }

        /**
         * @return the channel
         * @throws IllegalArgumentException if the name or ranges are invalid
         */
        public Channel build() {
            double nMin = normalMin == Double.NEGATIVE_INFINITY ? physicalMin : normalMin;
            double nMax = normalMax == Double.POSITIVE_INFINITY ? physicalMax : normalMax;
            double nom = Double.isNaN(nominal) ? nMin / 2 + nMax / 2 : nominal;
            return new Channel(name, unit, nom, nMin, nMax, physicalMin, physicalMax, missingAllowed);
        }
    }
}
