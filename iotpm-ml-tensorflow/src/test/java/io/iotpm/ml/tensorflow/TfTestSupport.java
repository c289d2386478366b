package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Shared set-up: offline DJL, caches under target/, simulated windows. */
final class TfTestSupport {

    /** DJL's own cache; the tests assert DJL never put TensorFlow there (i.e. never downloaded it). */
    static final Path DJL_CACHE = Paths.get("target", "djl-cache").toAbsolutePath();
    static final Path NATIVES_CACHE = Paths.get("target", "tf-natives").toAbsolutePath();

    private TfTestSupport() {
    }

    static synchronized void offline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("DJL_CACHE_DIR", DJL_CACHE.toString());
        System.setProperty(TensorFlowNatives.CACHE_DIR_PROPERTY, NATIVES_CACHE.toString());
    }

    /**
     * Skips an export test where the default format locale writes non-ASCII digits: export refuses such a locale
     * (see {@code SavedModelExporterLocaleTest}), and a CI run with, say, {@code -Duser.language=ar} should say so.
     */
    static void assumeExportableLocale() {
        org.junit.jupiter.api.Assumptions.assumeTrue(String.format("%d", 10).equals("10"),
                "SavedModel export needs ASCII digits; the default format locale is "
                        + java.util.Locale.getDefault(java.util.Locale.Category.FORMAT).toLanguageTag());
    }

    /** {@code count} windows of {@code steps} readings from simulated motors, some developing faults. */
    static List<DeviceWindow> windows(int count, int steps, long seed) {
        List<DeviceWindow> out = new ArrayList<>(count);
        int devices = 10;
        int perDevice = (count + devices - 1) / devices;
        for (int d = 0; d < devices && out.size() < count; d++) {
            String id = "MOTOR_" + d;
            SensorSimulator sim = SensorSimulator.builder().deviceId(id).seed(seed + d).failureProbability(1.0)
                    .start(Instant.parse("2026-01-01T00:00:00Z")).build();
            List<SensorReading> history = sim.history(Duration.ofMinutes((long) perDevice * 7 + steps)).toList();
            for (int i = 0; i < perDevice && out.size() < count; i++) {
                out.add(new DeviceWindow(id, history.subList(i * 7, i * 7 + steps)));
            }
        }
        return out;
    }


    static List<String> channelNames(SensorSchema schema) {
        List<String> names = new ArrayList<>();
        schema.channels().forEach(c -> names.add(c.name()));
        return names;
    }

    /** The scaled {@code [time][features]} input of the reference, in float as the engines see it. */
    static double[][] scaled(DeviceWindow w, Scaler scaler, int steps) {
        List<SensorReading> rs = w.readings();
        int first = rs.size() - steps;
        double[][] x = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] v = rs.get(first + t).values();
            x[t] = new double[v.length];
            for (int f = 0; f < v.length; f++) {
                x[t][f] = (float) scaler.apply(f, v[f]);
            }
        }
        return x;
    }
}
