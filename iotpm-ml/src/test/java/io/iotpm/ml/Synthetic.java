package io.iotpm.ml;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small synthetic run-to-failure data: channel {@code load} ramps up over the 40 steps before each failure.
 * Public for the tests of the sub-packages (the anomaly detector).
 */
public final class Synthetic {

    /** Two channels, {@code load} and {@code temp}. */
    public static final SensorSchema SCHEMA = SensorSchema.builder("synthetic")
            .channel(Channel.builder("load").nominal(1).normalRange(0, 5).physicalRange(-100, 100))
            .channel(Channel.builder("temp").nominal(1).normalRange(0, 5).physicalRange(-100, 100).allowMissing())
            .build();
    /** Time of every device's first reading. */
    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** All readings. */
    public final List<SensorReading> readings = new ArrayList<>();
    /** Failure and maintenance events. */
    public final List<DeviceEvent> events = new ArrayList<>();

    /** {@code devices} devices of {@code steps} readings, failures every ~120 steps, down 5 steps. */
    public static Synthetic fleet(int devices, int steps, long seed) {
        Synthetic s = new Synthetic();
        Random r = new Random(seed);
        for (int d = 0; d < devices; d++) {
            String id = String.format(Locale.ROOT, "DEV_%03d", d);
            int nextFailure = 60 + r.nextInt(80);
            int down = -1;
            for (int t = 0; t < steps; t++) {
                Instant ts = T0.plus(Duration.ofMinutes(t));
                double ramp = 0;
                if (down >= 0) {
                    down--;
                    if (down < 0) {
                        s.events.add(new MaintenanceEvent(id, ts, "repair"));
                        nextFailure = t + 60 + r.nextInt(80);
                    }
                } else {
                    int toFailure = nextFailure - t;
                    if (toFailure < 40) {
                        ramp = (40 - toFailure) / 10.0;
                    }
                }
                double load = 1 + ramp + r.nextGaussian() * 0.2;
                double temp = 1 + r.nextGaussian() * 0.2 + 0.2 * Math.sin(t / 10.0);
                s.readings.add(SensorReading.of(id, ts, SCHEMA, load, temp));
                if (down < 0 && t == nextFailure) {
                    s.events.add(new FailureEvent(id, ts, "overload"));
                    down = 5;
                }
            }
        }
        return s;
    }

    /** @return readings and events as a training set */
    public TrainingSet set() {
        return TrainingSet.of(readings, events);
    }

    /** Every {@code step}-th window of {@code len} readings of every device, oldest first. */
    List<DeviceWindow> windows(int len, int step) {
        List<DeviceWindow> out = new ArrayList<>();
        for (String id : set().deviceIds()) {
            List<SensorReading> all = readings.stream().filter(x -> x.deviceId().equals(id)).toList();
            for (int end = len; end <= all.size(); end += step) {
                out.add(new DeviceWindow(id, all.subList(end - len, end)));
            }
        }
        return out;
    }

    /** @return the newest {@code n} readings of a device */
    public List<SensorReading> lastReadings(String device, int n) {
        List<SensorReading> mine = readings.stream().filter(x -> x.deviceId().equals(device)).toList();
        return mine.subList(mine.size() - n, mine.size());
    }
}
