package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;

import java.util.Arrays;
import java.util.List;

/**
 * Per-feature affine scaling applied to raw readings before they enter a model:
 * {@code scaled = (raw - offset) / scale}. Min-max scaling has offset = min and scale = max - min;
 * z-score scaling has offset = mean and scale = standard deviation. A zero scale (a constant feature
 * in the training data) is treated as 1, as scikit-learn does.
 */
public final class Scaler {

    /** How the offsets and scales were fitted; decides the names in {@code model.json}. */
    public enum Kind {
        /** No scaling: the model takes raw readings. */
        NONE,
        /** {@code (x - min) / (max - min)}. */
        MIN_MAX,
        /** {@code (x - mean) / std}. */
        Z_SCORE
    }

    private final Kind kind;
    private final double[] offset;
    private final double[] scale;

    private Scaler(Kind kind, double[] offset, double[] scale) {
        this.kind = kind;
        this.offset = offset;
        this.scale = scale;
    }

    /** @return the identity scaler */
    public static Scaler none() {
        return new Scaler(Kind.NONE, new double[0], new double[0]);
    }

    /**
     * @param min per-feature minimum of the training data
     * @param max per-feature maximum
     * @return a min-max scaler
     * @throws IllegalArgumentException on different lengths, non-finite values or {@code max < min}
     */
    public static Scaler minMax(double[] min, double[] max) {
        checkPair("min", min, "max", max);
        double[] range = new double[min.length];
        for (int i = 0; i < min.length; i++) {
            if (max[i] < min[i]) {
                throw new IllegalArgumentException("max[" + i + "] = " + max[i] + " is below min[" + i + "] = " + min[i]);
            }
            range[i] = max[i] - min[i];
        }
        return new Scaler(Kind.MIN_MAX, min.clone(), range);
    }

    /**
     * Fits a min-max scaler on raw channel values, as a trainer fits one on its training split.
     *
     * @param windows training windows, all with the same schema (at least one reading)
     * @return a min-max scaler over the schema's channels, in schema order
     * @throws IllegalArgumentException when there is no reading
     */
    public static Scaler fitMinMax(List<DeviceWindow> windows) {
        double[] min = null;
        double[] max = null;
        for (DeviceWindow w : windows) {
            for (SensorReading r : w.readings()) {
                if (min == null) {
                    min = new double[r.schema().size()];
                    max = new double[min.length];
                    Arrays.fill(min, Double.POSITIVE_INFINITY);
                    Arrays.fill(max, Double.NEGATIVE_INFINITY);
                }
                for (int i = 0; i < min.length; i++) {
                    min[i] = Math.min(min[i], r.value(i));
                    max[i] = Math.max(max[i], r.value(i));
                }
            }
        }
        if (min == null) {
            throw new IllegalArgumentException("cannot fit a scaler: the windows hold no reading");
        }
        return minMax(min, max);
    }

    /**
     * @param mean per-feature mean of the training data
     * @param std  per-feature standard deviation
     * @return a z-score scaler
     * @throws IllegalArgumentException on different lengths, non-finite values or a negative std
     */
    public static Scaler zScore(double[] mean, double[] std) {
        checkPair("mean", mean, "std", std);
        for (int i = 0; i < std.length; i++) {
            if (std[i] < 0) {
                throw new IllegalArgumentException("std[" + i + "] must be >= 0, but was " + std[i]);
            }
        }
        return new Scaler(Kind.Z_SCORE, mean.clone(), std.clone());
    }

    private static void checkPair(String an, double[] a, String bn, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(an + " has " + a.length + " values but " + bn + " has " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException(an + "/" + bn + "[" + i + "] must be finite, but were "
                        + a[i] + ", " + b[i]);
            }
        }
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return how many features it scales, 0 for {@link Kind#NONE} */
    public int size() {
        return offset.length;
    }

    /** @return first parameter per feature: min or mean (a copy) */
    double[] first() {
        return offset.clone();
    }

    /** @return second parameter per feature: max or std (a copy) */
    double[] second() {
        if (kind == Kind.MIN_MAX) {
            double[] max = new double[offset.length];
            for (int i = 0; i < max.length; i++) {
                max[i] = offset[i] + scale[i];
            }
            return max;
        }
        return scale.clone();
    }

    /**
     * @param feature feature index
     * @param raw     raw value
     * @return the scaled value
     */
    public double apply(int feature, double raw) {
        if (kind == Kind.NONE) {
            return raw;
        }
        double s = scale[feature];
        return (raw - offset[feature]) / (s == 0 ? 1 : s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaler s && s.kind == kind && Arrays.equals(s.offset, offset) && Arrays.equals(s.scale, scale);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(offset) * 17 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Scaler[" + kind + ", " + offset.length + " features]";
    }
}
