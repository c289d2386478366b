package io.iotpm.alerts;

import java.util.Arrays;

/**
 * Everything the manager keeps for one device, guarded by the instance's monitor: each rule's
 * condition state, the open alert per rule (the deduplication key is (rule slot, device)) and when
 * each rule last notified.
 */
final class DeviceState {

    final String deviceId;
    Condition.Test[] tests = new Condition.Test[0];
    Condition.Test[] clearTests = new Condition.Test[0];
    Entry[] open = new Entry[0];
    long[] lastNotified = new long[0];
    /** Manager clock time of the newest reading; {@code Long.MIN_VALUE} until the first one. */
    long lastArrival = Long.MIN_VALUE;
    /** Counters kept here rather than in shared adders: they are written under this lock anyway. */
    long readings;
    long updated;

    DeviceState(String deviceId) {
        this.deviceId = deviceId;
    }

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
}
