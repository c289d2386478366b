package io.iotpm.alerts;

import io.iotpm.core.SensorReading;

import java.util.Arrays;

/**
 * Everything the manager keeps for one device: each rule's condition state, the open alert per rule
 * (the deduplication key is (rule slot, device)) and when each rule last notified.
 *
 * <p>The instance's monitor is <em>the</em> lock of the alerts package: it guards every field here
 * and every field of the device's {@link Entry}s. {@link RuleEngine} takes it to evaluate a reading,
 * {@link AlertBook} to change or snapshot an alert; methods documented "call with the device lock
 * held" rely on their caller having taken it. Other locks (the history's) may be taken inside it,
 * never the other way round.
 */
final class DeviceState {

    final String deviceId;
    Condition.Test[] tests = new Condition.Test[0];
    Condition.Test[] clearTests = new Condition.Test[0];
    Entry[] open = new Entry[0];
    long[] lastNotified = new long[0];
    /** Manager clock time of the newest reading; {@code Long.MIN_VALUE} until the first one. */
    long lastArrival = Long.MIN_VALUE;
    /** Timestamp (epoch nanoseconds) of the newest reading; rules evaluate no older one. */
    long newest = Long.MIN_VALUE;
    /** The newest reading, to tell a repeat (skipped) from a correction at the same timestamp. */
    SensorReading newestReading;
    /** Counters kept here rather than in shared adders: they are written under this lock anyway. */
    long readings;
    long updated;
    long late;

    DeviceState(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Grows the per-rule arrays to {@code slots}; rules added at run time get slots at the end. */
    void ensure(int slots) {
        if (open.length < slots) {
            int old = open.length;
            tests = Arrays.copyOf(tests, slots);
            clearTests = Arrays.copyOf(clearTests, slots);
            open = Arrays.copyOf(open, slots);
            lastNotified = Arrays.copyOf(lastNotified, slots);
            Arrays.fill(lastNotified, old, slots, Long.MIN_VALUE);
        }
    }

    /** Makes {@code e} the open alert of its slot, with a fresh clear test; call with this lock held. */
    void open(Entry e, Condition clear) {
        open[e.slot] = e;
        clearTests[e.slot] = clear == null ? null : clear.newTest();
    }

    /** Frees {@code e}'s slot if {@code e} still holds it; call with this lock held. */
    void close(Entry e) {
        if (e.slot >= 0 && e.slot < open.length && open[e.slot] == e) {
            open[e.slot] = null;
            clearTests[e.slot] = null;
        }
    }
}
