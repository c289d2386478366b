package io.iotpm.ml;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorSchema;

import io.iotpm.ml.internal.RawWindows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts device series into labelled windows. A window of {@code length} readings ending at index
 * {@code e} gets {@code rul = f - e}, where {@code f} is the index of the last reading at or
 * before the device's next failure; {@code label = rul <= horizon}. Windows straddling a failure or
 * ending while the device is down (after a failure, before its repair) are skipped; so are windows
 * whose label is unknown because the series stops before the horizon (or the RUL cap) without a
 * failure, and windows holding a missing (NaN) value.
 */
final class Windows {

    private Windows() {
    }

    /** A window: its device series, last index, binary label and (possibly capped) RUL. */
    record Window(TrainingSet.Series series, int end, boolean label, double rul) {
    }

    static List<Window> cut(TrainingSet.Series s, int length, int stride, int horizon, double rulCap, boolean needRul) {
        return cut(s, length, length, stride, horizon, rulCap, needRul);
    }

    /** The windows a model with these settings trains and is evaluated on. */
    static List<Window> cut(TrainingSet.Series s, LstmConfig c, boolean needRul) {
        return cut(s, c.sequenceLength(), c.historyNeeded(), c.stride(), c.horizon(), c.rulCap(), needRul);
    }

    /**
     * As {@link #cut(TrainingSet.Series, int, int, int, double, boolean)}, but windows end from the
     * {@code minHistory}-th reading on; one ending earlier than the {@code length}-th reading is padded
     * at the front with the series' first reading (see {@link #copyPadded}).
     */
    static List<Window> cut(TrainingSet.Series s, int length, int minHistory, int stride, int horizon, double rulCap,
                            boolean needRul) {
        List<Window> out = new ArrayList<>();
        Instant[] t = s.times();
        int n = t.length;
        if (n < minHistory) {
            return out;
        }
        // Index of the last reading at or before each failure, and the end of each down time.
        int[] failIdx = new int[s.failures().size()];
        Instant[] downUntil = new Instant[failIdx.length];
        for (int k = 0; k < failIdx.length; k++) {
            Instant f = s.failures().get(k);
            failIdx[k] = lastAtOrBefore(t, f);
            Instant repair = null;
            for (Instant r : s.repairs()) {
                if (r.isAfter(f)) {
                    repair = r;
                    break;
                }
            }
            downUntil[k] = repair;
        }
        // lastNaN[i]: the last index <= i whose reading has a missing value, or -1.
        int c = s.values().length / n;
        int[] lastNaN = new int[n];
        int seen = -1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                if (Double.isNaN(s.values()[i * c + j])) {
                    seen = i;
                    break;
                }
            }
            lastNaN[i] = seen;
        }
        // Walk windows from the end so the last reading of a device is always a window end.
        int first = (n - 1) - ((n - minHistory) / stride) * stride;
        int k = 0;
        for (int e = first; e < n; e += stride) {
            // Padding repeats reading 0, so a padded window holds the readings from 0 on.
            int start = Math.max(0, e - length + 1);
            Instant tEnd = t[e];
            if (lastNaN[e] >= start) {
                continue;
            }
            while (k < failIdx.length && s.failures().get(k).isBefore(tEnd)) {
                k++;
            }
            // k: first failure at or after the window end. Skip windows touching an earlier failure's
            // reading range or its down time.
            if (k > 0) {
                Instant prevFailure = s.failures().get(k - 1);
                if (!prevFailure.isBefore(t[start])) {
                    continue;
                }
                Instant up = downUntil[k - 1];
                if (up == null || !tEnd.isAfter(up)) {
                    continue;
                }
            }
            double rul;
            if (k < failIdx.length && failIdx[k] >= e) {
                rul = failIdx[k] - e;
            } else {
                rul = Double.NaN;
            }
            boolean label;
            if (!Double.isNaN(rul)) {
                label = rul <= horizon;
            } else {
                // No failure observed after this window: the label is known only if the series goes on
                // long enough without one.
                int observed = n - 1 - e;
                if (observed < horizon) {
                    continue;
                }
                label = false;
                if (needRul) {
                    if (rulCap > 0 && observed >= rulCap) {
                        rul = rulCap;
                    } else {
                        continue;
                    }
                }
            }
            if (!Double.isNaN(rul) && rulCap > 0) {
                rul = Math.min(rul, rulCap);
            }
            out.add(new Window(s, e, label, rul));
        }
        return out;
    }

    private static int lastAtOrBefore(Instant[] t, Instant x) {
        int lo = 0, hi = t.length - 1, ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!t[mid].isAfter(x)) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    /**
     * Copies the {@code len} readings ending at index {@code end} of a series' row-major values
     * ({@code c} per reading) into {@code out} at {@code at}; rows before the series' start repeat its
     * first reading.
     */
    static void copyPadded(double[] values, int c, int end, int len, double[] out, int at) {
        int start = end - len + 1;
        if (start >= 0) {
            System.arraycopy(values, start * c, out, at, len * c);
            return;
        }
        for (int k = 0; k < len; k++) {
            System.arraycopy(values, Math.max(0, start + k) * c, out, at + k * c, c);
        }
    }

    /**
     * Copies the last {@code len} readings of a prediction window of at least {@code minHistory}
     * readings into {@code raw} at {@code at}, padded at the front when it is shorter (see
     * {@link RawWindows#fill}).
     */
    static void fillRaw(SensorSchema schema, int len, int minHistory, DeviceWindow w, double[] raw, int at) {
        RawWindows.fill(schema, len, minHistory, w, raw, at);
    }
}
