package io.iotpm.ml.internal;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.util.List;

/** Copies prediction windows into a flat raw-value array, checking them, for every model of iotpm-ml. */
public final class RawWindows {

    private RawWindows() {
    }

    /**
     * Copies the last {@code len} readings of a prediction window into {@code raw} at {@code at},
     * rejecting short windows, another schema, readings out of time order and NaN.
     *
     * @param schema the model's schema
     * @param len    readings the model takes
     * @param w      the window
     * @param raw    the target, {@code len × schema.size()} values from {@code at}
     * @param at     where the first value goes
     * @throws IllegalArgumentException naming the device (and channel and time) on bad input
     */
    public static void fill(SensorSchema schema, int len, DeviceWindow w, double[] raw, int at) {
        fill(schema, len, len, w, raw, at);
    }

    /**
     * As {@link #fill(SensorSchema, int, DeviceWindow, double[], int)}, but a window of at least
     * {@code minHistory} and fewer than {@code len} readings is padded at the front with copies of its
     * oldest reading, as a model trained with that minimum history saw its short windows.
     *
     * @param schema     the model's schema
     * @param len        readings the model takes
     * @param minHistory the fewest readings a window may hold, at most {@code len}
     * @param w          the window
     * @param raw        the target, {@code len × schema.size()} values from {@code at}
     * @param at         where the first value goes
     * @throws IllegalArgumentException naming the device (and channel and time) on bad input
     */
    public static void fill(SensorSchema schema, int len, int minHistory, DeviceWindow w, double[] raw, int at) {
        List<SensorReading> rs = w.readings();
        if (rs.size() < minHistory) {
            throw new IllegalArgumentException("window of device '" + w.deviceId() + "' has " + rs.size()
                    + " readings, but the model needs at least " + minHistory);
        }
        int c = schema.size();
        int from = rs.size() - len;
        for (int k = 0; k < len; k++) {
            int i = Math.max(0, from + k);
            SensorReading r = rs.get(i);
            if (!r.schema().equals(schema)) {
                throw new IllegalArgumentException("reading of device '" + w.deviceId() + "' at " + r.timestamp()
                        + " has schema '" + r.schema().name() + "' with " + r.schema().size()
                        + " channels, but the model expects schema '" + schema.name() + "' with " + c + " channels");
            }
            if (k > 0 && from + k > 0 && !r.timestamp().isAfter(rs.get(i - 1).timestamp())) {
                throw new IllegalArgumentException("window of device '" + w.deviceId()
                        + "' is not in time order at " + r.timestamp());
            }
            int o = at + k * c;
            r.copyValuesTo(raw, o);
            for (int j = 0; j < c; j++) {
                if (Double.isNaN(raw[o + j])) {
                    throw new IllegalArgumentException("window of device '" + w.deviceId() + "' has NaN in channel '"
                            + schema.channelName(j) + "' at " + r.timestamp());
                }
            }
        }
    }
}
