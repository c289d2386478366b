package io.iotpm.ml.internal;

import io.iotpm.core.SensorSchema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns a window of raw readings into the scaled feature matrix the network sees, in plain Java so
 * every engine (PyTorch here, an exported model elsewhere) gets the same input.
 *
 * <p>Per time step: the selected raw channels, then composite channels (vibration magnitude
 * {@code sqrt(x²+y²+z²)}, electrical power {@code V·I·pf / 1000} in kW) when the schema has their
 * inputs; these are the <em>base</em> columns. Optionally, per base column, a rolling mean and a
 * rolling standard deviation over the last {@code rollingWindow} steps and a least-squares slope
 * over the last {@code slopeWindow} steps, computed inside the window only (the first steps use the
 * shorter prefix), so a window always yields the same features wherever it came from. Finally each
 * column is scaled: {@code (x - offset) * factor} (min-max or z-score, fitted on training devices).
 *
 * <p>With {@code smoothing} {@code α > 0}, every base column is first replaced by its exponential
 * moving average inside the window, {@code s₀ = x₀, sₜ = α·xₜ + (1 - α)·sₜ₋₁}: causal (step
 * {@code t} reads steps {@code <= t} only) and computed from the window alone, so a live stream's
 * window gets the features its training windows had. Rolling statistics and slopes then read the
 * smoothed columns.
 *
 * @param schema           schema of the raw readings
 * @param channels         raw channel indices used as base columns, in order
 * @param vibrationMagnitude whether to add the vibration magnitude column
 * @param electricalPower  whether to add the electrical power column
 * @param rollingWindow    rolling mean/std window in steps, 0 for none
 * @param slopeWindow      slope window in steps, 0 for none
 * @param smoothing        exponential smoothing factor {@code α} of the base columns, in {@code (0, 1)}, or 0 for none
 * @param offset           per feature, subtracted before scaling (empty while unfitted)
 * @param factor           per feature, multiplied after the offset (empty while unfitted)
 */
public record FeaturePipeline(SensorSchema schema, int[] channels, boolean vibrationMagnitude,
                              boolean electricalPower, int rollingWindow, int slopeWindow, double smoothing,
                              float[] offset, float[] factor) {

    /** Validates indices and sizes. */
    public FeaturePipeline {
        Objects.requireNonNull(schema, "schema");
        channels = channels.clone();
        offset = offset.clone();
        factor = factor.clone();
        for (int c : channels) {
            if (c < 0 || c >= schema.size()) {
                throw new IllegalArgumentException("channel index " + c + " outside schema '" + schema.name() + "'");
            }
        }
        if (vibrationMagnitude && !hasVibration(schema)) {
            throw new IllegalArgumentException("vibration magnitude needs channels vibration_x/y/z in schema '"
                    + schema.name() + "'");
        }
        if (electricalPower && !hasPower(schema)) {
            throw new IllegalArgumentException("electrical power needs channels voltage, current and power_factor in schema '"
                    + schema.name() + "'");
        }
        if (rollingWindow < 0 || rollingWindow == 1 || slopeWindow < 0 || slopeWindow == 1) {
            throw new IllegalArgumentException("rolling and slope windows must be 0 (off) or >= 2, but were "
                    + rollingWindow + " and " + slopeWindow);
        }
        if (!(smoothing == 0 || (smoothing > 0 && smoothing < 1))) {
            throw new IllegalArgumentException("smoothing must be 0 (off) or in (0, 1), but was " + smoothing);
        }
        int base = channels.length + (vibrationMagnitude ? 1 : 0) + (electricalPower ? 1 : 0);
        if (base == 0) {
            throw new IllegalArgumentException("the feature pipeline selects no column");
        }
        int n = base * (1 + (rollingWindow > 0 ? 2 : 0) + (slopeWindow > 0 ? 1 : 0));
        if ((offset.length != 0 || factor.length != 0) && (offset.length != n || factor.length != n)) {
            throw new IllegalArgumentException("scaler has " + offset.length + "/" + factor.length
                    + " entries, but the pipeline makes " + n + " features");
        }
    }

    /** A pipeline without smoothing (the autoencoder's, and models saved before smoothing existed). */
    public FeaturePipeline(SensorSchema schema, int[] channels, boolean vibrationMagnitude, boolean electricalPower,
                           int rollingWindow, int slopeWindow, float[] offset, float[] factor) {
        this(schema, channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow, 0, offset, factor);
    }

    /**
     * A fitted pipeline from channel names, as a model description lists them.
     *
     * @param schema   schema of the raw readings
     * @param channels raw channel names used as base columns, in order
     * @throws IllegalArgumentException naming a channel the schema lacks
     */
    public static FeaturePipeline of(SensorSchema schema, List<String> channels, boolean vibrationMagnitude,
                                     boolean electricalPower, int rollingWindow, int slopeWindow, double smoothing,
                                     float[] offset, float[] factor) {
        int[] idx = new int[channels.size()];
        for (int i = 0; i < idx.length; i++) {
            if (!schema.has(channels.get(i))) {
                throw new IllegalArgumentException("model channel '" + channels.get(i) + "' is not in schema '"
                        + schema.name() + "'");
            }
            idx[i] = schema.requireIndex(channels.get(i));
        }
        return new FeaturePipeline(schema, idx, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow,
                smoothing, offset, factor);
    }

    /** @return whether the schema has vibration_x, vibration_y and vibration_z */
    public static boolean hasVibration(SensorSchema s) {
        return s.has("vibration_x") && s.has("vibration_y") && s.has("vibration_z");
    }

    /** @return whether the schema has voltage, current and power_factor */
    public static boolean hasPower(SensorSchema s) {
        return s.has("voltage") && s.has("current") && s.has("power_factor");
    }

    /** @return columns per time step before rolling features */
    public int baseColumns() {
        return channels.length + (vibrationMagnitude ? 1 : 0) + (electricalPower ? 1 : 0);
    }

    /** @return features per time step, the network's input size */
    public int featureCount() {
        return baseColumns() * (1 + (rollingWindow > 0 ? 2 : 0) + (slopeWindow > 0 ? 1 : 0));
    }

    /** @return whether the scaler has been fitted */
    public boolean fitted() {
        return offset.length == featureCount();
    }

    /** @return a name per feature, in order ({@code temperature}, {@code temperature_mean10}, ...) */
    public List<String> featureNames() {
        List<String> base = new ArrayList<>();
        for (int c : channels) {
            base.add(schema.channelName(c));
        }
        if (vibrationMagnitude) {
            base.add("vibration_magnitude");
        }
        if (electricalPower) {
            base.add("electrical_power_kw");
        }
        List<String> out = new ArrayList<>(base);
        if (rollingWindow > 0) {
            base.forEach(b -> out.add(b + "_mean" + rollingWindow));
            base.forEach(b -> out.add(b + "_std" + rollingWindow));
        }
        if (slopeWindow > 0) {
            base.forEach(b -> out.add(b + "_slope" + slopeWindow));
        }
        return out;
    }

    /**
     * Computes unscaled features of one window.
     *
     * @param raw   {@code steps × schema.size()} raw values, row-major, oldest first
     * @param steps time steps
     * @param out   receives {@code steps × featureCount()} values at {@code at}
     * @param at    offset into {@code out}
     */
    public void unscaled(double[] raw, int steps, float[] out, int at) {
        int cs = schema.size();
        int b = baseColumns();
        int f = featureCount();
        double[] base = new double[steps * b];
        int vx = vibrationMagnitude ? schema.indexOf("vibration_x") : -1;
        int vy = vibrationMagnitude ? schema.indexOf("vibration_y") : -1;
        int vz = vibrationMagnitude ? schema.indexOf("vibration_z") : -1;
        int pv = electricalPower ? schema.indexOf("voltage") : -1;
        int pc = electricalPower ? schema.indexOf("current") : -1;
        int pf = electricalPower ? schema.indexOf("power_factor") : -1;
        for (int t = 0; t < steps; t++) {
            int r = t * cs;
            int o = t * b;
            for (int c : channels) {
                base[o++] = raw[r + c];
            }
            if (vibrationMagnitude) {
                double x = raw[r + vx], y = raw[r + vy], z = raw[r + vz];
                base[o++] = Math.sqrt(x * x + y * y + z * z);
            }
            if (electricalPower) {
                base[o] = raw[r + pv] * raw[r + pc] * raw[r + pf] / 1000;
            }
        }
        if (smoothing > 0) {
            for (int t = 1; t < steps; t++) {
                for (int j = 0; j < b; j++) {
                    base[t * b + j] = smoothing * base[t * b + j] + (1 - smoothing) * base[(t - 1) * b + j];
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            int o = at + t * f;
            for (int j = 0; j < b; j++) {
                out[o + j] = (float) base[t * b + j];
            }
            int next = b;
            if (rollingWindow > 0) {
                int from = Math.max(0, t - rollingWindow + 1);
                int n = t - from + 1;
                for (int j = 0; j < b; j++) {
                    double sum = 0;
                    for (int k = from; k <= t; k++) {
                        sum += base[k * b + j];
                    }
                    double mean = sum / n;
                    double ss = 0;
                    for (int k = from; k <= t; k++) {
                        double d = base[k * b + j] - mean;
                        ss += d * d;
                    }
                    out[o + next + j] = (float) mean;
                    out[o + next + b + j] = (float) Math.sqrt(ss / n);
                }
                next += 2 * b;
            }
            if (slopeWindow > 0) {
                int from = Math.max(0, t - slopeWindow + 1);
                int n = t - from + 1;
                double xMean = (n - 1) / 2.0;
                double sxx = 0;
                for (int k = 0; k < n; k++) {
                    sxx += (k - xMean) * (k - xMean);
                }
                for (int j = 0; j < b; j++) {
                    double slope = 0;
                    if (n > 1) {
                        double yMean = 0;
                        for (int k = from; k <= t; k++) {
                            yMean += base[k * b + j];
                        }
                        yMean /= n;
                        double sxy = 0;
                        for (int k = from; k <= t; k++) {
                            sxy += (k - from - xMean) * (base[k * b + j] - yMean);
                        }
                        slope = sxy / sxx;
                    }
                    out[o + next + j] = (float) slope;
                }
            }
        }
    }

    /**
     * Scales {@code rows × featureCount()} unscaled features in place.
     *
     * @throws IllegalStateException if the scaler is not fitted
     */
    public void scale(float[] data, int at, int rows) {
        if (!fitted()) {
            throw new IllegalStateException("the feature scaler is not fitted");
        }
        int f = offset.length;
        for (int r = 0; r < rows; r++) {
            int o = at + r * f;
            for (int j = 0; j < f; j++) {
                data[o + j] = (data[o + j] - offset[j]) * factor[j];
            }
        }
    }

    /**
     * Scaled features of one window as a matrix, the input of {@code LstmWeights.forward}.
     *
     * @param raw   {@code steps × schema.size()} raw values, row-major, oldest first
     * @param steps time steps
     * @return {@code [steps][featureCount()]}
     */
    public float[][] transform(double[] raw, int steps) {
        int f = featureCount();
        float[] flat = new float[steps * f];
        unscaled(raw, steps, flat, 0);
        scale(flat, 0, steps);
        float[][] m = new float[steps][];
        for (int t = 0; t < steps; t++) {
            m[t] = Arrays.copyOfRange(flat, t * f, (t + 1) * f);
        }
        return m;
    }

    /**
     * Fits the scaler on {@code rows × featureCount()} unscaled features.
     *
     * @param zScore z-score ({@code (x - mean) / std}) when true, min-max to {@code [0, 1]} otherwise;
     *               a constant feature maps to 0
     * @return a fitted copy of this pipeline
     */
    public FeaturePipeline fit(float[] data, int rows, boolean zScore) {
        int f = featureCount();
        float[] off = new float[f];
        float[] fac = new float[f];
        for (int j = 0; j < f; j++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, ss = 0;
            for (int r = 0; r < rows; r++) {
                double v = data[r * f + j];
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            double mean = sum / rows;
            for (int r = 0; r < rows; r++) {
                double d = data[r * f + j] - mean;
                ss += d * d;
            }
            double std = Math.sqrt(ss / rows);
            if (zScore) {
                off[j] = (float) mean;
                fac[j] = std > 1e-12 ? (float) (1 / std) : 0f;
            } else {
                off[j] = (float) min;
                fac[j] = max - min > 1e-12 ? (float) (1 / (max - min)) : 0f;
            }
        }
        return new FeaturePipeline(schema, channels, vibrationMagnitude, electricalPower, rollingWindow, slopeWindow,
                smoothing, off, fac);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeaturePipeline p && p.schema.equals(schema) && Arrays.equals(p.channels, channels)
                && p.vibrationMagnitude == vibrationMagnitude && p.electricalPower == electricalPower
                && p.rollingWindow == rollingWindow && p.slopeWindow == slopeWindow
                && Double.compare(p.smoothing, smoothing) == 0 && Arrays.equals(p.offset, offset) && Arrays.equals(p.factor, factor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, Arrays.hashCode(channels), rollingWindow, slopeWindow, smoothing, Arrays.hashCode(offset));
    }

    @Override
    public String toString() {
        return "FeaturePipeline" + featureNames() + (smoothing > 0 ? " smoothed " + smoothing : "");
    }
}
