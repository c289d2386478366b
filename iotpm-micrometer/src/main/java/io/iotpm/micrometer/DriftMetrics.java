package io.iotpm.micrometer;

import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Meters of a {@link DriftMonitor}, per device group and channel (tags {@code group}, {@code channel}: at most the
 * monitor's {@code maxGroups} times its channels, and never a device id):
 * <ul>
 *   <li>{@code iotpm.drift.psi} (gauge): population stability index of the group's window against the reference;
 *       NaN until the window holds the monitor's minimum of readings, because PSI of a few readings is noise</li>
 *   <li>{@code iotpm.drift.drifting} (gauge, 1 or 0): PSI above the threshold</li>
 *   <li>{@code iotpm.drift.window.readings} (gauge): readings of the channel in the window</li>
 * </ul>
 * and, untagged, {@code iotpm.drift.threshold} (gauge) and {@code iotpm.drift.readings} (counter, tag
 * {@code outcome}: {@code taken}, or {@code dropped} when the group cap was reached). Groups appear as readings
 * arrive and vanish when the monitor is {@link DriftMonitor#rebase rebased}: {@link #refresh()} follows them.
 */
public final class DriftMetrics implements IotpmBinder {

    private final DriftMonitor monitor;
    private final Tags tags;
    private final Set<String> bound = new HashSet<>();
    private MeterSet meters;

    /**
     * @param monitor the monitor, kept alive by the host
     * @param tags    tags added to every meter (e.g. {@code monitor=line-1} when a host has several)
     */
    public DriftMetrics(DriftMonitor monitor, Iterable<Tag> tags) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (meters != null) {
            throw new IllegalStateException("already bound to " + meters.registry());
        }
        meters = new MeterSet(registry);
        meters.gauge("iotpm.drift.threshold", "PSI above which a channel drifts", null, tags, monitor,
                DriftMonitor::threshold);
        meters.counter("iotpm.drift.readings", "readings taken into a drift window, or dropped over the group cap",
                tags.and("outcome", "taken"), monitor, DriftMonitor::readings);
        meters.counter("iotpm.drift.readings", "readings taken into a drift window, or dropped over the group cap",
                tags.and("outcome", "dropped"), monitor, DriftMonitor::droppedReadings);
        refresh();
    }

    @Override
    public synchronized void refresh() {
        if (meters == null) {
            return;
        }
        Set<String> now = new HashSet<>();
        for (DriftSnapshot s : monitor.snapshots()) {
            String key = key(s.group(), s.channel());
            now.add(key);
            if (bound.add(key)) {
                register(s.group(), s.channel());
            }
        }
        for (String gone : Set.copyOf(bound)) {
            if (!now.contains(gone)) {
                bound.remove(gone);
                meters.removeIf(id -> id.getTag("channel") != null
                        && gone.equals(key(id.getTag("group"), id.getTag("channel"))));
            }
        }
    }

    private void register(String group, String channel) {
        Tags t = tags.and("group", group, "channel", channel);
        gauge("iotpm.drift.psi", "population stability index of a group's channel against the model's training "
                + "data (NaN until the window has enough readings)", null, t, group, channel,
                s -> s.ready() ? s.psi() : Double.NaN);
        gauge("iotpm.drift.drifting", "1 while a group's channel drifts past the threshold", null, t, group, channel,
                s -> s.drifting() ? 1 : 0);
        gauge("iotpm.drift.window.readings", "readings of a group's channel in the drift window", null, t,
                group, channel, DriftSnapshot::count);
    }

    private void gauge(String name, String description, String unit, Tags t, String group, String channel,
                       ToDoubleFunction<DriftSnapshot> figure) {
        meters.gauge(name, description, unit, t, monitor, m -> {
            for (DriftSnapshot s : m.snapshots(group)) {
                if (s.channel().equals(channel)) {
                    return figure.applyAsDouble(s);
                }
            }
            return Double.NaN;
        });
    }

    private static String key(String group, String channel) {
        return group + '\u0000' + channel;
    }

    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.removeAll();
            bound.clear();
        }
    }
}
