package io.iotpm.ml;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sensor history and the events that label it: per device, readings sorted by time, and its
 * failure and maintenance events. Labels ("a failure within the next {@code horizon} steps",
 * remaining useful life) are derived from the {@link FailureEvent}s, never from the readings'
 * health score. A device is down from a failure until the next {@link MaintenanceEvent}; windows
 * ending there, or straddling a failure, are not used.
 *
 * <p>Immutable; devices are ordered by id so the same data always gives the same windows.
 */
public final class TrainingSet {

    private final SensorSchema schema;
    private final Map<String, Series> devices;

    private TrainingSet(SensorSchema schema, Map<String, Series> devices) {
        this.schema = schema;
        this.devices = devices;
    }

    /**
     * Groups readings and events by device.
     *
     * @param readings readings of one schema, any order
     * @param events   failure and maintenance events of the same devices, any order (others are ignored)
     * @return the set
     * @throws IllegalArgumentException if there are no readings, readings mix schemas, or a device has
     *                                  two readings with the same timestamp
     */
    public static TrainingSet of(Collection<SensorReading> readings, Collection<? extends DeviceEvent> events) {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(events, "events");
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("a training set needs readings, but none were given");
        }
        SensorSchema schema = null;
        Map<String, List<SensorReading>> byDevice = new TreeMap<>();
        for (SensorReading r : readings) {
            if (schema == null) {
                schema = r.schema();
            } else if (!schema.equals(r.schema())) {
                throw new IllegalArgumentException("readings mix schemas '" + schema.name() + "' and '"
                        + r.schema().name() + "' (device '" + r.deviceId() + "')");
            }
            byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<DeviceEvent>> eventsByDevice = new TreeMap<>();
        for (DeviceEvent e : events) {
            eventsByDevice.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Series> out = new TreeMap<>();
        int c = schema.size();
        for (Map.Entry<String, List<SensorReading>> en : byDevice.entrySet()) {
            List<SensorReading> rs = en.getValue();
            rs.sort(Comparator.comparing(SensorReading::timestamp));
            Instant[] times = new Instant[rs.size()];
            double[] values = new double[rs.size() * c];
            for (int i = 0; i < rs.size(); i++) {
                times[i] = rs.get(i).timestamp();
                if (i > 0 && times[i].equals(times[i - 1])) {
                    throw new IllegalArgumentException("device '" + en.getKey() + "' has two readings at " + times[i]);
                }
                rs.get(i).copyValuesTo(values, i * c);
            }
            List<Instant> failures = new ArrayList<>();
            List<Instant> repairs = new ArrayList<>();
            for (DeviceEvent e : eventsByDevice.getOrDefault(en.getKey(), List.of())) {
                if (e instanceof FailureEvent) {
                    failures.add(e.timestamp());
                } else if (e instanceof MaintenanceEvent) {
                    repairs.add(e.timestamp());
                }
            }
            failures.sort(null);
            repairs.sort(null);
            out.put(en.getKey(), new Series(en.getKey(), times, values, failures, repairs));
        }
        return new TrainingSet(schema, out);
    }

    /** @return the schema of every reading */
    public SensorSchema schema() {
        return schema;
    }

    /** @return device ids, sorted */
    public List<String> deviceIds() {
        return List.copyOf(devices.keySet());
    }

    /** @return the number of readings over all devices */
    public int readingCount() {
        return devices.values().stream().mapToInt(s -> s.times.length).sum();
    }

    /** @return the number of failure events over all devices */
    public int failureCount() {
        return devices.values().stream().mapToInt(s -> s.failures.size()).sum();
    }

    /**
     * @param deviceIds devices to keep
     * @return a set with only those devices
     * @throws IllegalArgumentException if one is unknown or none remain
     */
    public TrainingSet devices(Collection<String> deviceIds) {
        Map<String, Series> out = new TreeMap<>();
        for (String id : Set.copyOf(deviceIds)) {
            Series s = devices.get(id);
            if (s == null) {
                throw new IllegalArgumentException("unknown device '" + id + "'; known: " + devices.keySet());
            }
            out.put(id, s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no device selected");
        }
        return new TrainingSet(schema, out);
    }

    /**
     * Cuts every device's series into labelled windows, exactly as {@link LstmPredictor}'s training
     * does (see its data path): windows straddling a failure, ending while a device is down, holding a
     * missing value, or whose label the data cannot know yet are left out.
     *
     * @param length  readings per window
     * @param stride  steps between window ends (the last reading of a device always ends one)
     * @param horizon a window is labelled {@code failureWithinHorizon} when a failure follows within
     *                this many steps
     * @return the windows, device by device (ids sorted), oldest first
     * @throws IllegalArgumentException if {@code length}, {@code stride} or {@code horizon} is below 1
     */
    public List<LabelledWindow> windows(int length, int stride, int horizon) {
        if (length < 1 || stride < 1 || horizon < 1) {
            throw new IllegalArgumentException("length, stride and horizon must be >= 1, but were " + length + ", "
                    + stride + ", " + horizon);
        }
        List<LabelledWindow> out = new ArrayList<>();
        for (Series s : devices.values()) {
            for (Windows.Window w : Windows.cut(s, length, stride, horizon, 0, false)) {
                out.add(new LabelledWindow(w, length));
            }
        }
        return out;
    }

    Collection<Series> series() {
        return devices.values();
    }

    /** One device's readings as a row-major value matrix, and its event times. */
    record Series(String deviceId, Instant[] times, double[] values, List<Instant> failures, List<Instant> repairs) {
    }
}
