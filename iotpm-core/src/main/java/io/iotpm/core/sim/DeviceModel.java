package io.iotpm.core.sim;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The life cycle shared by every simulated device: healthy → fault developing → failed (down for
 * repair) → healthy again, plus slow wear. Subclasses turn the state into channel values.
 */
abstract class DeviceModel {

    private enum State { HEALTHY, DEVELOPING, DOWN }

    private static final double MINUTES_PER_DAY = 1440;
    // Wear reaches 1 after about four months of running; it lowers health a little and raises the fault hazard.
    private static final double WEAR_DAYS = 120;

    final SplittableRandom rnd;
    final SensorSchema schema;
    final double dtMinutes;
    private final String deviceId;
    private final double onsetPerStep;
    private final long minLeadSteps;
    private final long maxLeadSteps;
    private final long repairSteps;
    private final FailureMode forcedMode;
    private final double wearPerStep;

    private State state = State.HEALTHY;
    private double wear;
    private long faultStep;
    private long faultLength;
    private long downLeft;
    private FailureMode mode;
    private double health = 100;

    DeviceModel(SensorSchema schema, String deviceId, long seed, double failureProbabilityPerDay, Duration interval,
                Duration minLead, Duration maxLead, Duration repair, FailureMode forcedMode) {
        this.schema = schema;
        this.deviceId = deviceId;
        this.rnd = new SplittableRandom(mix(seed, deviceId));
        this.dtMinutes = interval.toNanos() / 60e9;
        double stepsPerDay = MINUTES_PER_DAY / dtMinutes;
        // Per-step hazard that compounds to the requested per-day probability.
        this.onsetPerStep = failureProbabilityPerDay >= 1 ? 1 : -Math.expm1(Math.log1p(-failureProbabilityPerDay) / stepsPerDay);
        long intervalNanos = interval.toNanos();
        this.minLeadSteps = Math.max(2, minLead.toNanos() / intervalNanos);
        this.maxLeadSteps = Math.max(minLeadSteps, maxLead.toNanos() / intervalNanos);
        this.repairSteps = repair.toNanos() / intervalNanos;
        this.forcedMode = forcedMode;
        this.wearPerStep = 1.0 / (WEAR_DAYS * stepsPerDay);
        this.wear = 0.05 * rnd.nextDouble();
    }

    static DeviceModel create(SensorSchema schema, String deviceId, long seed, double p, Duration interval,
                              Duration minLead, Duration maxLead, Duration repair, FailureMode forced) {
        return MotorModel.fits(schema)
                ? new MotorModel(schema, deviceId, seed, p, interval, minLead, maxLead, repair, forced)
                : new GenericModel(schema, deviceId, seed, p, interval, minLead, maxLead, repair, forced);
    }

    /** Fills {@code out} with the channel values at {@code t} and returns the health score. */
    final double step(Instant t, double[] out, Consumer<DeviceEvent> emit) {
        double severity = 0;
        switch (state) {
            case HEALTHY -> {
                if (rnd.nextDouble() < onsetPerStep * (1 + 2 * wear)) {
                    state = State.DEVELOPING;
                    mode = forcedMode != null ? forcedMode : pickMode();
                    faultStep = 0;
                    faultLength = minLeadSteps + (long) (rnd.nextDouble() * (maxLeadSteps - minLeadSteps + 1));
                    onFaultStart(mode);
                }
            }
            case DEVELOPING -> {
                faultStep++;
                double s = (double) faultStep / faultLength;
                // Quadratic build-up: a faint signature for hours, then a fast decline near failure.
                severity = s * s;
                if (faultStep >= faultLength) {
                    emit.accept(new FailureEvent(deviceId, t, mode.id()));
                    state = State.DOWN;
                    downLeft = repairSteps;
                }
            }
            case DOWN -> downLeft--;
        }
        if (state == State.DOWN && downLeft <= 0) {
            emit.accept(new MaintenanceEvent(deviceId, t, "repair"));
            state = State.HEALTHY;
            wear = 0.02 * rnd.nextDouble();
            mode = null;
            severity = 0;
        }
        wear = Math.min(1, wear + wearPerStep);
        boolean running = state != State.DOWN;
        FailureMode active = state == State.DEVELOPING ? mode : null;
        values(t, out, running, active, state == State.DEVELOPING ? severity : 0, wear);
        clampToPhysical(out);
        if (!running) {
            health = 0;
        } else {
            health = Math.max(1, Math.min(100, 100 - 20 * wear - 88 * severity + 0.5 * rnd.nextGaussian()));
        }
        return health;
    }

    double health() {
        return health;
    }

    FailureMode developingFault() {
        return state == State.DEVELOPING ? mode : null;
    }

    abstract FailureMode pickMode();

    void onFaultStart(FailureMode mode) {
    }

    abstract void values(Instant t, double[] out, boolean running, FailureMode fault, double severity, double wear);

    /** AR(1) step with correlation time {@code tauMinutes} and stationary deviation {@code sigma}. */
    final double ar(double previous, double tauMinutes, double sigma) {
        double a = Math.exp(-dtMinutes / tauMinutes);
        return a * previous + sigma * Math.sqrt(1 - a * a) * rnd.nextGaussian();
    }

    static double hourOfDay(Instant t) {
        return Math.floorMod(t.getEpochSecond(), 86_400L) / 3600.0;
    }

    private void clampToPhysical(double[] out) {
        for (int i = 0; i < out.length; i++) {
            var c = schema.channel(i);
            out[i] = Math.max(c.physicalMin(), Math.min(c.physicalMax(), out[i]));
        }
    }

    private static long mix(long seed, String deviceId) {
        long z = seed ^ (deviceId.hashCode() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
