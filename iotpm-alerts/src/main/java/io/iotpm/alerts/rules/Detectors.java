package io.iotpm.alerts.rules;

import io.iotpm.alerts.Condition;
import io.iotpm.core.SensorReading;

/** Per-device detectors behind the built-in rules. Each instance sees one device's readings in order. */
final class Detectors {

    private Detectors() {
    }

    /**
     * Rolling baseline as an exponentially weighted mean and variance (West's update), with
     * hysteresis: anomalous once |z| is above {@code enter} on {@code confirm} consecutive readings,
     * until |z| falls below {@code exit}. The confirmation keeps single noise spikes out: a healthy
     * simulated motor trips |z| &gt; 4 on about one channel reading in 8,000.
     */
    static final class ZScore implements Condition.Test {
        private final Condition.ChannelValue channel;
        private final double alpha;
        private final int warmup;
        private final double enter2;
        private final double exit2;
        private final double minVar;
        private final int confirm;
        private int over;
        private double mean;
        private double var;
        private int n;
        private boolean anomalous;
        private double lastDiff = Double.NaN;
        private double lastVar = Double.NaN;

        ZScore(String channel, int window, double enter, double exit, double minStd, int confirm) {
            this.channel = new Condition.ChannelValue(channel);
            this.alpha = 2.0 / (window + 1);
            this.warmup = window;
            this.enter2 = enter * enter;
            this.exit2 = exit * exit;
            this.minVar = minStd * minStd;
            this.confirm = confirm;
        }

        @Override
        public boolean test(SensorReading r) {
            double x = channel.of(r);
            if (x != x) {
                return anomalous;
            }
            if (n == 0) {
                mean = x;
                n = 1;
                return false;
            }
            double diff = x - mean;
            // Compares z² = diff² / var with the squared thresholds: no square root or division
            // on the hot path; value() computes z itself only when a message needs it.
            double v = Math.max(var, minVar);
            double d2 = diff * diff;
            boolean beyond = d2 > enter2 * v;
            lastDiff = diff;
            lastVar = v;
            if (n >= warmup) {
                over = beyond ? over + 1 : 0;
                anomalous = anomalous ? d2 >= exit2 * v : over >= confirm;
            }
            // An unconfirmed outlier stays out of the baseline, or one spike would inflate the
            // variance enough to hide the reading that confirms it.
            if (anomalous || !beyond || n < warmup) {
                double incr = alpha * diff;
                mean += incr;
                var = (1 - alpha) * (var + diff * incr);
            }
            if (n < warmup) {
                n++;
            }
            return anomalous;
        }

        @Override
        public double value() {
            return lastDiff / Math.sqrt(lastVar);
        }
    }

    /** NaN, a flat line of {@code stuckReadings} identical values, or a jump larger than {@code maxJump}. */
    static final class SensorFault implements Condition.Test {
        private final Condition.ChannelValue channel;
        private final int stuckReadings;
        private final double maxJump;
        private double last = Double.NaN;
        private int same;
        private double value = Double.NaN;

        SensorFault(String channel, int stuckReadings, double maxJump) {
            this.channel = new Condition.ChannelValue(channel);
            this.stuckReadings = stuckReadings;
            this.maxJump = maxJump;
        }

        @Override
        public boolean test(SensorReading r) {
            double x = channel.of(r);
            value = x;
            double prev = last;
            last = x;
            if (x != x) {
                same = 0;
                return true;
            }
            if (x == prev) {
                same++;
                return same >= stuckReadings - 1;
            }
            same = 0;
            return prev == prev && Math.abs(x - prev) > maxJump;
        }

        @Override
        public double value() {
            return value;
        }
    }

    /** Health score below {@code enter}, until it is back at or above {@code exit}. NaN (unknown) never fires. */
    static final class Health implements Condition.Test {
        private final double enter;
        private final double exit;
        private boolean low;
        private double value = Double.NaN;

        Health(double enter, double exit) {
            this.enter = enter;
            this.exit = exit;
        }

        @Override
        public boolean test(SensorReading r) {
            double h = r.healthScore();
            value = h;
            if (h != h) {
                return low;
            }
            low = low ? h < exit : h < enter;
            return low;
        }

        @Override
        public double value() {
            return value;
        }
    }
}
