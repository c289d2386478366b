package io.iotpm.core.drift;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Input drift of live readings against a model's training distribution ({@link DriftReference}): per
 * device group and channel, the population stability index (PSI) of a sliding window of the group's
 * last {@link Builder#window(int)} readings. Add it to a pipeline as a listener
 * ({@code MonitoringPipeline.builder().listener(monitor)}) or subscribe {@link #onReading} to a hub.
 *
 * <pre>{@code
 * DriftMonitor drift = DriftMonitor.builder(DriftReference.fromReadings(schema, trainingReadings))
 *     .window(1_000).threshold(0.2).build();
 * }</pre>
 *
 * <p>Cost: one binary search and a few table look-ups per reading and channel (no logarithm); memory
 * is one byte per channel and window slot per group, whatever the number of devices. Groups are what
 * {@link Builder#groupBy(Function)} makes of device ids (the whole fleet by default) and are capped
 * by {@link Builder#maxGroups(int)}, so a careless grouping cannot grow without bound.
 *
 * <p>Thread-safe: readings of one group serialise on that group's lock, snapshots take it briefly.
 * {@link #rebase(DriftReference)} swaps the reference (when another model becomes active) and starts every
 * window afresh in one atomic step; a reading racing with it lands in the discarded windows.
 */
public final class DriftMonitor implements MonitoringListener {

    /** The group of every device when no {@link Builder#groupBy(Function) grouping} is set. */
    public static final String FLEET = "fleet";
    /** Default {@link Builder#window(int)}. */
    public static final int DEFAULT_WINDOW = 1_000;
    /** Default {@link Builder#threshold(double)}: PSI above it is drift worth an alert. */
    public static final double DEFAULT_THRESHOLD = 0.2;
    /** Default {@link Builder#maxGroups(int)}. */
    public static final int DEFAULT_MAX_GROUPS = 64;

    private final int window;
    private final double threshold;
    private final int minReadings;
    private final int maxGroups;
    private final Function<String, String> groupBy;
    private final double[] xLnX;
    private final double[] lnX;
    private final LongAdder readings = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile State state;

    /** Where each reference channel sits in readings of one schema (-1: the schema lacks it). */
    private record ChannelMap(SensorSchema schema, int[] index) {
    }

    /**
     * The reference and the windows compared with it, replaced together so no window ever mixes bins of two
     * references; the channel map is a cache of the last schema seen.
     */
    private static final class State {
        final DriftReference reference;
        final Map<String, GroupWindow> groups = new ConcurrentHashMap<>();
        volatile ChannelMap channelMap;

        State(DriftReference reference) {
            this.reference = reference;
        }
    }

    private DriftMonitor(Builder b) {
        this.state = new State(b.reference);
        this.window = b.window;
        this.threshold = b.threshold;
        this.minReadings = b.minReadings == 0 ? Math.min(b.window, Math.max(1, b.window / 5)) : b.minReadings;
        this.maxGroups = b.maxGroups;
        this.groupBy = b.groupBy;
        this.xLnX = new double[window + 1];
        this.lnX = new double[window + 1];
        for (int c = 0; c <= window; c++) {
            double x = c + GroupWindow.ALPHA;
            lnX[c] = Math.log(x);
            xLnX[c] = x * lnX[c];
        }
    }

    /**
     * @param reference the training distribution to compare with
     * @return a builder with the defaults documented on its setters
     */
    public static Builder builder(DriftReference reference) {
        return new Builder(reference);
    }

    /** Adds the reading to its group's window. Readings of a group beyond {@link Builder#maxGroups} are dropped. */
    @Override
    public void onReading(SensorReading reading) {
        State s = state;
        String group = groupOf(reading.deviceId());
        GroupWindow w = s.groups.get(group);
        if (w == null) {
            w = newGroup(s, group);
            if (w == null) {
                dropped.increment();
                return;
            }
        }
        w.add(bins(s, reading));
        readings.increment();
    }

    private synchronized GroupWindow newGroup(State s, String group) {
        GroupWindow w = s.groups.get(group);
        if (w == null && s.groups.size() < maxGroups) {
            w = new GroupWindow(group, s.reference, window, xLnX, lnX);
            s.groups.put(group, w);
        }
        return w;
    }

    /**
     * Compares from now on with another reference, typically the training data of a model that has just
     * become active: every group's window starts empty (so no channel is ready, nor drifting, until the window
     * has {@link #minReadings()} readings again). The counters of readings taken and dropped carry on.
     *
     * @param reference the new training distribution; its channels may differ from the old one's
     * @throws NullPointerException if {@code reference} is null
     */
    public synchronized void rebase(DriftReference reference) {
        state = new State(Objects.requireNonNull(reference, "reference"));
    }

    private String groupOf(String deviceId) {
        return Objects.requireNonNull(groupBy.apply(deviceId), "groupBy returned null for device " + deviceId);
    }

    private byte[] bins(State s, SensorReading r) {
        DriftReference reference = s.reference;
        ChannelMap map = s.channelMap;
        if (map == null || map.schema() != r.schema()) {
            map = mapFor(reference, r.schema());
            s.channelMap = map;
        }
        int[] index = map.index();
        byte[] out = new byte[index.length];
        for (int c = 0; c < index.length; c++) {
            double v = index[c] < 0 ? Double.NaN : r.value(index[c]);
            out[c] = Double.isNaN(v) ? -1 : (byte) DriftReference.bin(reference.edgesView(c), v);
        }
        return out;
    }

    private static ChannelMap mapFor(DriftReference reference, SensorSchema schema) {
        List<String> names = reference.channels();
        int[] index = new int[names.size()];
        for (int c = 0; c < index.length; c++) {
            index[c] = schema.indexOf(names.get(c));
        }
        return new ChannelMap(schema, index);
    }

    /** @return the reference this monitor compares with now */
    public DriftReference reference() {
        return state.reference;
    }

    /** @return the PSI above which a channel drifts */
    public double threshold() {
        return threshold;
    }

    /** @return the sliding window's length in readings, per group */
    public int window() {
        return window;
    }

    /** @return readings a channel needs in the window before its drift counts */
    public int minReadings() {
        return minReadings;
    }

    /** @return readings taken into a window */
    public long readings() {
        return readings.sum();
    }

    /** @return readings dropped because their group would have exceeded {@link Builder#maxGroups} */
    public long droppedReadings() {
        return dropped.sum();
    }

    /** @return the groups seen so far, sorted */
    public List<String> groups() {
        List<String> out = new ArrayList<>(state.groups.keySet());
        Collections.sort(out);
        return out;
    }

    /** @return one snapshot per group and channel, groups sorted, channels in reference order */
    public List<DriftSnapshot> snapshots() {
        State s = state;
        List<DriftSnapshot> out = new ArrayList<>();
        for (GroupWindow w : new TreeMap<>(s.groups).values()) {
            out.addAll(w.snapshots(s.reference.channels(), minReadings, threshold));
        }
        return out;
    }

    /**
     * @param group a group name
     * @return its snapshots, channels in reference order; empty when the group has had no reading
     */
    public List<DriftSnapshot> snapshots(String group) {
        State s = state;
        GroupWindow w = s.groups.get(group);
        return w == null ? List.of() : w.snapshots(s.reference.channels(), minReadings, threshold);
    }

    /**
     * Whether a channel drifts in the group of a device: the question a per-device alert rule asks.
     *
     * @param deviceId a device id
     * @param channel  a channel of the reference
     * @return whether that group's channel has enough readings and a PSI above the threshold
     * @throws IllegalArgumentException if the reference has no such channel
     */
    public boolean drifting(String deviceId, String channel) {
        State s = state;
        int c = s.reference.channels().indexOf(channel);
        if (c < 0) {
            throw new IllegalArgumentException("unknown channel '" + channel + "'; the drift reference has "
                    + s.reference.channels());
        }
        GroupWindow w = s.groups.get(groupOf(deviceId));
        return w != null && w.drifting(c, minReadings, threshold);
    }

    /**
     * @param deviceId a device id
     * @return the drifting channel of the device's group with the highest PSI, if any drifts
     */
    public Optional<DriftSnapshot> worst(String deviceId) {
        return snapshots(groupOf(deviceId)).stream().filter(DriftSnapshot::drifting)
                .max((a, b) -> Double.compare(a.psi(), b.psi()));
    }

    /** Builds a {@link DriftMonitor}; every setter validates its argument at once. */
    public static final class Builder {
        private final DriftReference reference;
        private int window = DEFAULT_WINDOW;
        private double threshold = DEFAULT_THRESHOLD;
        private int minReadings;
        private int maxGroups = DEFAULT_MAX_GROUPS;
        private Function<String, String> groupBy = id -> FLEET;

        private Builder(DriftReference reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
        }

        /**
         * @param window readings per group in the sliding window, 10 to 1,000,000; default
         *               {@value DriftMonitor#DEFAULT_WINDOW}
         * @return this builder
         */
        public Builder window(int window) {
            if (window < 10 || window > 1_000_000) {
                throw new IllegalArgumentException("window must be in [10, 1000000], but was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * @param threshold PSI above which a channel drifts, &gt; 0; default
         *                  {@value DriftMonitor#DEFAULT_THRESHOLD} (between the convention's moderate
         *                  0.1 and major 0.25)
         * @return this builder
         */
        public Builder threshold(double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be a finite number > 0, but was " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * @param minReadings readings of a channel the window needs before its PSI counts, ≥ 1 and at
         *                    most the window; default a fifth of the window, because PSI of a handful of
         *                    readings is large by chance alone
         * @return this builder
         */
        public Builder minReadings(int minReadings) {
            if (minReadings < 1) {
                throw new IllegalArgumentException("minReadings must be >= 1, but was " + minReadings);
            }
            this.minReadings = minReadings;
            return this;
        }

        /**
         * @param maxGroups most groups kept, ≥ 1; readings of further groups are dropped and counted
         *                  ({@link DriftMonitor#droppedReadings()}); default {@value DriftMonitor#DEFAULT_MAX_GROUPS}
         * @return this builder
         */
        public Builder maxGroups(int maxGroups) {
            if (maxGroups < 1) {
                throw new IllegalArgumentException("maxGroups must be >= 1, but was " + maxGroups);
            }
            this.maxGroups = maxGroups;
            return this;
        }

        /**
         * @param groupBy maps a device id to its group (a site, a line, a device type); must not
         *                return null; default: every device in {@link DriftMonitor#FLEET}
         * @return this builder
         */
        public Builder groupBy(Function<String, String> groupBy) {
            this.groupBy = Objects.requireNonNull(groupBy, "groupBy");
            return this;
        }

        /**
         * @return the monitor
         * @throws IllegalArgumentException if {@code minReadings} exceeds the window
         */
        public DriftMonitor build() {
            if (minReadings > window) {
                throw new IllegalArgumentException("minReadings must be <= window (" + window + "), but was "
                        + minReadings);
            }
            return new DriftMonitor(this);
        }
    }
}
