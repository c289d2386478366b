package io.iotpm.core.sim;

import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.time.Instant;

/**
 * Physics of the industrial motor: a daily load cycle drives current, temperature follows the
 * electrical losses with a thermal lag, pressure follows speed squared (pump affinity laws),
 * power factor falls with light load, noise follows vibration.
 */
final class MotorModel extends DeviceModel {

    private static final String[] CHANNELS = {"temperature", "vibration_x", "vibration_y", "vibration_z",
        "pressure", "rpm", "current", "voltage", "power_factor", "noise"};
    private static final double TWO_PI = 2 * Math.PI;

    private final int[] idx = new int[CHANNELS.length];
    private double loadNoise;
    private double grid;
    private double ambientDrift;
    private double temperature = Double.NaN;

    MotorModel(SensorSchema schema, String deviceId, long seed, double p, Duration interval,
               Duration minLead, Duration maxLead, Duration repair, FailureMode forced) {
        super(schema, deviceId, seed, p, interval, minLead, maxLead, repair, forced);
        for (int i = 0; i < CHANNELS.length; i++) {
            idx[i] = schema.indexOf(CHANNELS[i]);
        }
    }

    static boolean fits(SensorSchema schema) {
        for (String c : CHANNELS) {
            if (!schema.has(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    FailureMode pickMode() {
        return FailureMode.MOTOR_MODES[rnd.nextInt(FailureMode.MOTOR_MODES.length)];
    }

    @Override
    void values(Instant t, double[] out, boolean running, FailureMode fault, double f, double wear) {
        double bearing = fault == FailureMode.BEARING_WEAR ? f : 0;
        double heat = fault == FailureMode.OVERHEATING ? f : 0;
        double elec = fault == FailureMode.ELECTRICAL_FAULT ? f : 0;
        double seal = fault == FailureMode.SEAL_LEAK ? f : 0;
        double imbalance = fault == FailureMode.IMBALANCE ? f : 0;

        double hour = hourOfDay(t);
        loadNoise = ar(loadNoise, 30, 0.04);
        grid = ar(grid, 10, 1.5);
        ambientDrift = ar(ambientDrift, 2 * 1440, 1.5);
        double load = running ? clamp(0.75 + 0.12 * Math.sin(TWO_PI * (hour - 8) / 24) + loadNoise, 0.3, 1.1) : 0;
        double ambient = 22 + 4 * Math.sin(TWO_PI * (hour - 9) / 24) + ambientDrift;

        double rpm = running ? 1800 * (1 + 0.012 * (load - 0.75)) + 25 * seal + 4 * rnd.nextGaussian()
                : Math.abs(rnd.nextGaussian());
        double current = running
                ? 15 * (load / 0.75) * (1 + 0.12 * bearing + 0.12 * heat + 0.45 * elec + 0.06 * seal)
                    + (0.25 + 1.5 * elec) * rnd.nextGaussian()
                : 0.1 + 0.05 * Math.abs(rnd.nextGaussian());
        double voltage = 220 + grid + 0.4 * rnd.nextGaussian() - 18 * elec
                - (rnd.nextDouble() < 0.1 * elec ? 15 * rnd.nextDouble() : 0);
        double pf = running ? 0.93 + 0.027 * load - 0.06 * heat - 0.22 * elec + 0.004 * rnd.nextGaussian()
                : 0.2 + 0.02 * rnd.nextGaussian();
        double pressure = running
                ? 2.5 * (rpm / 1800) * (rpm / 1800) * (1 - 0.45 * seal) + 0.03 * rnd.nextGaussian()
                : 0.1 + 0.02 * Math.abs(rnd.nextGaussian());

        double target = running
                ? ambient + 43 * (1 + 0.9 * (current / 15 - 1)) + 30 * heat + 6 * bearing
                : ambient;
        if (Double.isNaN(temperature)) {
            temperature = target;
        }
        // First-order thermal lag with a 20-minute time constant.
        temperature = target + (temperature - target) * Math.exp(-dtMinutes / 20);

        double vibScale = running ? (0.85 + 0.2 * load) * (1 + 0.6 * wear) * (1 + 4 * bearing) : 0.04;
        double vx = 0.5 * vibScale * (1 + 5 * imbalance) + 0.03 * rnd.nextGaussian();
        double vy = 0.4 * vibScale * (1 + 2.5 * imbalance) + 0.03 * rnd.nextGaussian();
        double vz = 0.3 * vibScale + 0.03 * rnd.nextGaussian();
        vx = Math.abs(vx);
        vy = Math.abs(vy);
        vz = Math.abs(vz);
        double vib = Math.sqrt(vx * vx + vy * vy + vz * vz);
        double noise = running
                ? 45 + 8 * (load - 0.75) + 6 * log2(Math.max(vib, 0.05) / 0.7071) + 12 * bearing + 5 * imbalance
                    + 0.8 * rnd.nextGaussian()
                : 30 + rnd.nextGaussian();

        out[idx[0]] = temperature + 0.25 * rnd.nextGaussian();
        out[idx[1]] = vx;
        out[idx[2]] = vy;
        out[idx[3]] = vz;
        out[idx[4]] = pressure;
        out[idx[5]] = rpm;
        out[idx[6]] = current;
        out[idx[7]] = voltage;
        out[idx[8]] = pf;
        out[idx[9]] = noise;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
