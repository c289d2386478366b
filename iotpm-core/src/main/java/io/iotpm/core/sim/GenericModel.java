package io.iotpm.core.sim;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;

import java.time.Duration;
import java.time.Instant;

/**
 * Any schema without motor physics: each channel wanders around its nominal value with a daily
 * cycle and correlated noise; a {@link FailureMode#DEGRADATION} fault pushes about a third of the
 * channels out of their normal range.
 */
final class GenericModel extends DeviceModel {

    private final double[] noise;
    private final double[] direction;

    GenericModel(SensorSchema schema, String deviceId, long seed, double p, Duration interval,
                 Duration minLead, Duration maxLead, Duration repair, FailureMode forced) {
        super(schema, deviceId, seed, p, interval, minLead, maxLead, repair, forced);
        this.noise = new double[schema.size()];
        this.direction = new double[schema.size()];
    }

    @Override
    FailureMode pickMode() {
        return FailureMode.DEGRADATION;
    }

    @Override
    void onFaultStart(FailureMode mode) {
        boolean any = false;
        for (int i = 0; i < direction.length; i++) {
            direction[i] = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 1 : -1) : 0;
            any |= direction[i] != 0;
        }
        if (!any) {
            direction[rnd.nextInt(direction.length)] = 1;
        }
    }

    @Override
    void values(Instant t, double[] out, boolean running, FailureMode fault, double f, double wear) {
        double daily = Math.sin(2 * Math.PI * (hourOfDay(t) - 8) / 24);
        for (int i = 0; i < out.length; i++) {
            Channel c = schema.channel(i);
            double half = (c.normalMax() - c.normalMin()) / 2;
            noise[i] = ar(noise[i], 30, 0.1 * half);
            double v = c.nominal() + 0.15 * half * daily + noise[i] + 0.03 * half * rnd.nextGaussian()
                    + 0.1 * half * wear;
            if (fault != null) {
                v += direction[i] * 1.5 * half * f;
            }
            // A stopped machine reads the bottom of its normal range.
            out[i] = running ? v : c.normalMin();
        }
    }
}
