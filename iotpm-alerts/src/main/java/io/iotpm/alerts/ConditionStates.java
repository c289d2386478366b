package io.iotpm.alerts;

import io.iotpm.core.SensorReading;

/**
 * The per-device state machines behind {@link Condition}'s factories and combinators. Each instance
 * belongs to one (rule, device) and is fed that device's readings in order, under the device lock,
 * so none of them needs to be thread-safe.
 */
final class ConditionStates {

    private ConditionStates() {
    }

    /** A test of one channel's value and the device id. */
    interface ValueTest {
        boolean test(String deviceId, double value);
    }

    /** Reads one channel and reports the last value it saw. */
    static final class Tracked implements Condition.Test {
        private final Condition.ChannelValue channel;
        private final ValueTest valueTest;
        private double last = Double.NaN;

        Tracked(String channel, ValueTest valueTest) {
            this.channel = new Condition.ChannelValue(channel);
            this.valueTest = valueTest;
        }

        @Override
        public boolean test(SensorReading r) {
            double v = channel.of(r);
            last = v;
            return valueTest.test(r.deviceId(), v);
        }

        @Override
        public double value() {
            return last;
        }
    }

    /** A test built on another one; it reports the inner test's value. */
    private abstract static class Wrapped implements Condition.Test {
        final Condition.Test inner;

        Wrapped(Condition.Test inner) {
            this.inner = inner;
        }

        @Override
        public double value() {
            return inner.value();
        }
    }

    /** Holds when the inner test does not. */
    static final class Negated extends Wrapped {
        Negated(Condition.Test inner) {
            super(inner);
        }

        @Override
        public boolean test(SensorReading r) {
            return !inner.test(r);
        }
    }

    /** Holds once the inner test has held on every reading for {@code nanos} of reading time. */
    static final class Sustained extends Wrapped {
        private final long nanos;
        private long since = Long.MIN_VALUE;

        Sustained(Condition.Test inner, long nanos) {
            super(inner);
            this.nanos = nanos;
        }

        @Override
        public boolean test(SensorReading r) {
            if (!inner.test(r)) {
                since = Long.MIN_VALUE;
                return false;
            }
            long now = epochNanos(r);
            if (since == Long.MIN_VALUE) {
                since = now;
            }
            return now - since >= nanos;
        }
    }

    /**
     * Holds when the inner test held on {@code n} readings within {@code nanos} of the current one;
     * matches with the same timestamp count once.
     */
    static final class Counted extends Wrapped {
        private final int n;
        private final long nanos;
        // Ring of the last n matching timestamps; the oldest decides.
        private final long[] ring;
        private int next;
        private int filled;

        Counted(Condition.Test inner, int n, long nanos) {
            super(inner);
            this.n = n;
            this.nanos = nanos;
            this.ring = new long[n];
        }

        @Override
        public boolean test(SensorReading r) {
            if (!inner.test(r)) {
                return false;
            }
            long now = epochNanos(r);
            int last = next == 0 ? n - 1 : next - 1;
            if (filled > 0 && ring[last] == now) {
                // A correction of the reading just counted (same timestamp): one match, not two.
                return filled == n && now - ring[next] <= nanos;
            }
            ring[next] = now;
            next = next + 1 == n ? 0 : next + 1;
            if (filled < n) {
                filled++;
            }
            // After the write, ring[next] is the oldest of the last n matches.
            return filled == n && now - ring[next] <= nanos;
        }
    }

    /** Both or either of two tests; both are always fed, so stateful parts keep their memory. */
    static final class Combined implements Condition.Test {
        private final Condition.Test a;
        private final Condition.Test b;
        private final boolean and;
        private boolean aHit;

        Combined(Condition.Test a, Condition.Test b, boolean and) {
            this.a = a;
            this.b = b;
            this.and = and;
        }

        @Override
        public boolean test(SensorReading r) {
            aHit = a.test(r);
            boolean bHit = b.test(r);
            return and ? aHit && bHit : aHit || bHit;
        }

        @Override
        public double value() {
            // The value of the side that matched, so the message shows what fired.
            double v = aHit ? a.value() : b.value();
            return Double.isNaN(v) ? (aHit ? b.value() : a.value()) : v;
        }
    }

    /** @return the reading's timestamp in nanoseconds since the epoch */
    static long epochNanos(SensorReading r) {
        return r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano();
    }
}
