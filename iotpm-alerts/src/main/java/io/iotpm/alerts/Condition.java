package io.iotpm.alerts;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A test on a device's readings, possibly with memory: "temperature above 85", "above 85 for five
 * minutes", "three times within an hour", combined with {@link #and}/{@link #or}. The manager creates
 * one {@link Test} per (rule, device) with {@link #newTest()} and feeds it that device's readings in
 * order, so stateful conditions (durations, counts, rolling baselines) are per device.
 *
 * <p>Durations and windows are measured on reading timestamps, not on the wall clock, so a replayed
 * history fires exactly as it would have live. The manager feeds a test no reading older than the
 * device's newest so far and no repeat of it: late and repeated readings never reach it. A
 * correction (the newest timestamp again, other values) does, so timestamps never decrease. A channel the reading's schema does not have reads as
 * NaN, and every comparison with NaN is false.
 */
public abstract class Condition {

    private final String channel;
    private final String description;

    Condition(String channel, String description) {
        this.channel = channel;
        this.description = description;
    }

    /**
     * Per-device state of a condition, fed one device's readings in order. Only ever called by one
     * thread at a time.
     */
    public interface Test {

        /**
         * @param reading the device's next reading
         * @return whether the condition holds now
         */
        boolean test(SensorReading reading);

        /** @return the value the last {@link #test} looked at (shown as {@code {value}}), or NaN; default NaN */
        default double value() {
            return Double.NaN;
        }
    }

    /** @return a fresh per-device state */
    public abstract Test newTest();

    /** @return the single channel this condition watches, or {@code null} */
    public String channel() {
        return channel;
    }

    @Override
    public String toString() {
        return description;
    }

    // ---- factories ----

    /**
     * @param predicate a stateless test of one reading
     * @return a condition that holds when the predicate does
     */
    public static Condition of(Predicate<SensorReading> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        // Stateless, so every device shares one test.
        Test t = predicate::test;
        return derived(null, "predicate", () -> t);
    }

    /**
     * A condition with per-device memory defined by the caller, e.g. a custom detector.
     *
     * @param channel     the channel it watches (for {@code {channel}}), or {@code null}
     * @param description shown by {@link #toString()}
     * @param perDevice   creates one {@link Test} per device
     * @return the condition
     */
    public static Condition stateful(String channel, String description, Supplier<? extends Test> perDevice) {
        Objects.requireNonNull(perDevice, "perDevice");
        Objects.requireNonNull(description, "description");
        return derived(channel, description, () -> Objects.requireNonNull(perDevice.get(), "perDevice returned null"));
    }

    /** @return holds while {@code channel > threshold} */
    public static Condition above(String channel, double threshold) {
        requireFinite(threshold, "threshold");
        return threshold(channel, true, id -> threshold, channel + " > " + threshold);
    }

    /** @return holds while {@code channel < threshold} */
    public static Condition below(String channel, double threshold) {
        requireFinite(threshold, "threshold");
        return threshold(channel, false, id -> threshold, channel + " < " + threshold);
    }

    /**
     * Per-device thresholds from a function of the device id, read on every reading (so a function
     * backed by a concurrent map sees changes at once).
     *
     * @return holds while {@code channel > thresholdOf(deviceId)}
     */
    public static Condition above(String channel, ToDoubleFunction<String> thresholdOf) {
        return threshold(channel, true, Objects.requireNonNull(thresholdOf, "thresholdOf"),
                channel + " > threshold(device)");
    }

    /** @return holds while {@code channel < thresholdOf(deviceId)} */
    public static Condition below(String channel, ToDoubleFunction<String> thresholdOf) {
        return threshold(channel, false, Objects.requireNonNull(thresholdOf, "thresholdOf"),
                channel + " < threshold(device)");
    }

    /**
     * Per-device thresholds from a map, with a default for devices not in it.
     *
     * @param perDevice device id → threshold (copied)
     * @param otherwise threshold of every other device
     * @return holds while {@code channel > threshold of the device}
     */
    public static Condition above(String channel, Map<String, Double> perDevice, double otherwise) {
        Map<String, Double> m = copyThresholds(perDevice, otherwise);
        return threshold(channel, true, id -> m.getOrDefault(id, otherwise), channel + " > " + m + " else " + otherwise);
    }

    /** @return holds while {@code channel < threshold of the device}; see {@link #above(String, Map, double)} */
    public static Condition below(String channel, Map<String, Double> perDevice, double otherwise) {
        Map<String, Double> m = copyThresholds(perDevice, otherwise);
        return threshold(channel, false, id -> m.getOrDefault(id, otherwise), channel + " < " + m + " else " + otherwise);
    }

    /** @return holds while the channel is outside {@code [min, max]} */
    public static Condition outside(String channel, double min, double max) {
        return range(channel, min, max, true);
    }

    /** @return holds while the channel is inside {@code [min, max]} (a typical clear condition) */
    public static Condition inside(String channel, double min, double max) {
        return range(channel, min, max, false);
    }

    // ---- combinators ----

    /** @return holds when both hold; both are always evaluated, so stateful parts keep their memory */
    public Condition and(Condition other) {
        return combine(other, true);
    }

    /** @return holds when either holds; both are always evaluated */
    public Condition or(Condition other) {
        return combine(other, false);
    }

    /** @return holds when this does not */
    public Condition negate() {
        return derived(channel, "not (" + description + ")", () -> new ConditionStates.Negated(newTest()));
    }

    /**
     * Holds once this condition has held on every reading for at least {@code duration} of reading
     * time ("temperature above 85 for 5 minutes": the first matching reading at 10:00 and every one
     * after it up to a reading at 10:05). A non-matching reading restarts the clock. A late reading
     * (older than the newest seen) is not fed to it, so it can neither restart nor extend the
     * duration: the duration describes the device's present.
     *
     * @param duration how long, {@code > 0}
     * @return the sustained condition
     */
    public Condition sustainedFor(Duration duration) {
        long nanos = requirePositive(duration, "duration").toNanos();
        return derived(channel, "(" + description + ") for " + duration,
                () -> new ConditionStates.Sustained(newTest(), nanos));
    }

    /**
     * Holds when this condition held on at least {@code n} readings whose timestamps lie within
     * {@code window} of the current reading ("3 times within 10 minutes"). Each timestamp counts
     * once (a correction at the same timestamp is not a second match); a repeated reading is not
     * fed to it, nor is a late one even inside the window, so the count does not depend on how
     * often or in which order the broker delivered.
     *
     * @param n      how many matching readings, {@code >= 1}
     * @param window the time window, {@code > 0}
     * @return the counting condition
     */
    public Condition times(int n, Duration window) {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("n must be in [1, 100000], but was " + n);
        }
        long nanos = requirePositive(window, "window").toNanos();
        return derived(channel, "(" + description + ") " + n + " times within " + window,
                () -> new ConditionStates.Counted(newTest(), n, nanos));
    }

    // ---- implementation ----

    private Condition combine(Condition other, boolean and) {
        Objects.requireNonNull(other, "other");
        String ch = Objects.equals(channel, other.channel) ? channel : null;
        return derived(ch, "(" + description + (and ? ") and (" : ") or (") + other.description + ")",
                () -> new ConditionStates.Combined(newTest(), other.newTest(), and));
    }

    /** A condition whose tests come from {@code perDevice}, one per (rule, device). */
    private static Condition derived(String channel, String description, Supplier<Test> perDevice) {
        return new Condition(channel, description) {
            @Override
            public Test newTest() {
                return perDevice.get();
            }
        };
    }

    private static Condition threshold(String channel, boolean above, ToDoubleFunction<String> thresholdOf,
                                       String description) {
        requireChannelName(channel);
        return valueCondition(channel, description, (deviceId, v) -> {
            double t = thresholdOf.applyAsDouble(deviceId);
            return above ? v > t : v < t;
        });
    }

    private static Condition range(String channel, double min, double max, boolean outside) {
        requireChannelName(channel);
        requireFinite(min, "min");
        requireFinite(max, "max");
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, but was " + min + " > " + max);
        }
        return valueCondition(channel, channel + (outside ? " outside [" : " inside [") + min + ", " + max + "]",
                (deviceId, v) -> v == v && outside != (v >= min && v <= max));
    }

    /** A test of one channel's value (and the device id); the condition reports the last value it saw. */
    private static Condition valueCondition(String channel, String description, ConditionStates.ValueTest valueTest) {
        return derived(channel, description, () -> new ConditionStates.Tracked(channel, valueTest));
    }

    private static Map<String, Double> copyThresholds(Map<String, Double> perDevice, double otherwise) {
        requireFinite(otherwise, "otherwise");
        for (Map.Entry<String, Double> e : perDevice.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("threshold of device '" + e.getKey() + "' must be finite, but was "
                        + e.getValue());
            }
        }
        return Map.copyOf(perDevice);
    }

    static void requireChannelName(String channel) {
        if (channel == null || !channel.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("channel must match [a-z][a-z0-9_]{0,63}, but was '" + channel + "'");
        }
    }

    private static void requireFinite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, but was " + v);
        }
    }

    static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, but was " + d);
        }
        return d;
    }

    /**
     * Reads one channel by name, resolving its index once per schema instance (readings of one
     * source share their schema object, so this is an identity check on the hot path).
     */
    public static final class ChannelValue {
        private final String name;
        private SensorSchema schema;
        private int index = -1;

        /** @param name the channel name */
        public ChannelValue(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @return the channel's value in {@code r}, or NaN when its schema has no such channel */
        public double of(SensorReading r) {
            SensorSchema s = r.schema();
            if (s != schema) {
                index = s.indexOf(name);
                schema = s;
            }
            return index < 0 ? Double.NaN : r.value(index);
        }
    }
}
