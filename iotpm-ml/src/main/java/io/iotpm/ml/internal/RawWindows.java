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
        List<SensorReading> rs = w.readings();
        if (rs.size() < len) {
            throw new IllegalArgumentException("window of device '" + w.deviceId() + "' has " + rs.size()
                    + " readings, but the model needs at least " + len);
        }
        int c = schema.size();
        int from = rs.size() - len;
        for (int k = 0; k < len; k++) {
            SensorReading r = rs.get(from + k);
            if (!r.schema().equals(schema)) {
                throw new IllegalArgumentException("reading of device '" + w.deviceId() + "' at " + r.timestamp()
                        + " has schema '" + r.schema().name() + "' with " + r.schema().size()
                        + " channels, but the model expects schema '" + schema.name() + "' with " + c + " channels");
            }
            if (k > 0 && !r.timestamp().isAfter(rs.get(from + k - 1).timestamp())) {
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
