package io.iotpm.alerts;

import io.iotpm.alerts.store.StoredAlert;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The rules of one manager and the per-device state they need: evaluates readings and predictions
 * under each device's lock, detects silent devices, and hands matches to the {@link AlertBook}
 * (raise, update, clear). The rule set is replaced as a whole on change, so ingest reads it once,
 * without a lock.
 *
 * <p>Every call into the book is made with the device's lock held (see {@link DeviceState}): the
 * book's raise and resolve rely on it, and it keeps a device's alerts in the order of its readings.
 */
final class RuleEngine {

    // Logs under the facade's name, as before the split, so a host's logger settings still apply.
    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    /**
     * Immutable view of the rules: slot {@code i} of every {@link DeviceState} array belongs to
     * {@code slots[i]}. A removed rule leaves its slot {@code null} rather than shifting the others,
     * so device arrays built against an older set stay aligned.
     */
    private record RuleSet(AlertRule[] slots, int[] reading, int[] prediction, int[] noData) {
        static RuleSet of(AlertRule[] slots) {
            List<Integer> r = new ArrayList<>();
            List<Integer> p = new ArrayList<>();
            List<Integer> n = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == null) {
                    continue;
                }
                switch (slots[i].triggerKind()) {
                    case READING -> r.add(i);
                    case PREDICTION -> p.add(i);
                    case NO_DATA -> n.add(i);
                }
            }
            return new RuleSet(slots, r.stream().mapToInt(Integer::intValue).toArray(),
                    p.stream().mapToInt(Integer::intValue).toArray(), n.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** Readings, matches that updated an open alert and late readings, summed over the devices. */
    record DeviceTotals(long readings, long updated, long late) {
    }

    private final AlertBook book;
    /** Serialises writers of {@link #rules}; readers take the volatile snapshot. */
    private final Object rulesLock = new Object();
    private volatile RuleSet rules;
    private final ConcurrentHashMap<String, DeviceState> devices = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ruleErrorLogged = new ConcurrentHashMap<>();
    private final LongAdder predictions = new LongAdder();
    private final LongAdder ruleErrors = new LongAdder();

    /** @param rules the initial rules, names already unique */
    RuleEngine(Collection<AlertRule> rules, AlertBook book) {
        this.rules = RuleSet.of(rules.toArray(new AlertRule[0]));
        this.book = book;
    }

    // ---------------------------------------------------------------- evaluation

    /**
     * Evaluates every reading rule on {@code reading}, unless it is older than the device's newest
     * reading or a repeat of it; see {@link AlertManager#process(SensorReading)}.
     */
    void process(SensorReading reading, long now) {
        RuleSet rs = rules;
        DeviceState st = device(reading.deviceId());
        long ts = ConditionStates.epochNanos(reading);
        synchronized (st) {
            st.readings++;
            if (ts < st.newest || ts == st.newest && reading.equals(st.newestReading)) {
                // Late or repeated: rule state follows the device's newest data only, so a
                // redelivery cannot count twice and an old value cannot reopen a cleared alert.
                st.late++;
                return;
            }
            st.newest = ts;
            st.newestReading = reading;
            st.ensure(rs.slots.length);
            st.lastArrival = now;
            for (int s : rs.reading) {
                AlertRule rule = rs.slots[s];
                Condition.Test t = st.tests[s];
                if (t == null) {
                    t = st.tests[s] = rule.when().newTest();
                }
                boolean hit;
                try {
                    hit = t.test(reading);
                } catch (RuntimeException e) {
                    ruleError(rule, e);
                    continue;
                }
                Entry e = st.open[s];
                if (e == null) {
                    if (hit) {
                        raise(st, s, rule, reading, null, t.value(), now);
                    }
                    continue;
                }
                // A reloaded alert's test restarted cold: wait until it has held again (see Entry.restored).
                boolean clear = !hit && rule.clearsWhenFalse() && !e.restored;
                Condition.Test c = st.clearTests[s];
                if (c != null) {
                    try {
                        // Fed on every reading while open, so "clear for 10 minutes" counts correctly.
                        clear = c.test(reading) || clear;
                    } catch (RuntimeException ex) {
                        ruleError(rule, ex);
                    }
                }
                if (hit) {
                    update(e, t.value(), now);
                } else if (clear) {
                    book.resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
            for (int s : rs.noData) {
                Entry e = st.open[s];
                if (e != null) {
                    book.resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
        }
    }

    /**
     * Evaluates every prediction rule on {@code prediction}; see {@link AlertManager#process(Prediction)}.
     *
     * @return false when there is no prediction rule, so nothing was evaluated
     */
    boolean process(Prediction prediction, long now) {
        predictions.increment();
        RuleSet rs = rules;
        if (rs.prediction.length == 0) {
            return false;
        }
        DeviceState st = device(prediction.deviceId());
        synchronized (st) {
            st.ensure(rs.slots.length);
            for (int s : rs.prediction) {
                AlertRule rule = rs.slots[s];
                boolean hit;
                boolean clear;
                try {
                    hit = rule.whenPrediction().test(prediction);
                    Predicate<Prediction> c = rule.clearPrediction();
                    clear = c != null && !hit && c.test(prediction);
                } catch (RuntimeException e) {
                    ruleError(rule, e);
                    continue;
                }
                Entry e = st.open[s];
                if (hit) {
                    if (e == null) {
                        raise(st, s, rule, null, prediction, prediction.failureProbability(), now);
                    } else {
                        update(e, prediction.failureProbability(), now);
                    }
                } else if (clear && e != null) {
                    book.resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
        }
        return true;
    }

    /** The no-data part of the sweep: raises or updates a no-data alert for every device silent too long. */
    void sweepNoData(long now) {
        RuleSet rs = rules;
        if (rs.noData.length == 0) {
            return;
        }
        for (DeviceState st : devices.values()) {
            synchronized (st) {
                st.ensure(rs.slots.length);
                for (int s : rs.noData) {
                    AlertRule rule = rs.slots[s];
                    if (st.lastArrival == Long.MIN_VALUE) {
                        break;   // never sent a reading: nothing to miss yet
                    }
                    long silent = now - st.lastArrival;
                    if (silent >= rule.noDataPeriod().toMillis()) {
                        Entry e = st.open[s];
                        if (e == null) {
                            raise(st, s, rule, null, null, silent / 1000.0, now);
                        } else {
                            update(e, silent / 1000.0, now);
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- registry

    /** @return the rules, in the order they were added */
    List<AlertRule> rules() {
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : rules.slots) {
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** See {@link AlertManager#addRule(AlertRule)}. */
    void add(AlertRule rule) {
        Objects.requireNonNull(rule, "rule");
        synchronized (rulesLock) {
            for (AlertRule r : rules.slots) {
                if (r != null && r.name().equals(rule.name())) {
                    throw new IllegalArgumentException("a rule named '" + rule.name() + "' exists already");
                }
            }
            AlertRule[] slots = Arrays.copyOf(rules.slots, rules.slots.length + 1);
            slots[slots.length - 1] = rule;
            rules = RuleSet.of(slots);
        }
    }

    /** See {@link AlertManager#removeRule(String)}. */
    boolean remove(String name) {
        synchronized (rulesLock) {
            AlertRule[] slots = rules.slots.clone();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null && slots[i].name().equals(name)) {
                    slots[i] = null;
                    rules = RuleSet.of(slots);
                    return true;
                }
            }
            return false;
        }
    }

    // ---------------------------------------------------------------- restart

    /**
     * Rebuilds an alert saved before a restart: an open one takes its (rule, device) slot again, so
     * new matches update it instead of raising a new alert, and every alert's last notification
     * restores its rule's cooldown for the device. An alert whose rule is gone keeps a stand-in rule
     * with its name, type and channel, and no slot. Call before the manager starts.
     */
    Entry restore(StoredAlert s) {
        Alert a = s.alert();
        RuleSet rs = rules;
        int slot = -1;
        for (int i = 0; i < rs.slots.length; i++) {
            if (rs.slots[i] != null && rs.slots[i].name().equals(a.rule())) {
                slot = i;
                break;
            }
        }
        AlertRule rule = slot >= 0 ? rs.slots[slot] : standIn(a);
        DeviceState st = device(a.deviceId());
        synchronized (st) {
            st.ensure(rs.slots.length);
            Entry e = new Entry(s, rule, slot, st);
            if (slot >= 0) {
                if (e.state.isOpen()) {
                    st.open(e, rule.clear());
                }
                if (e.lastNotified > st.lastNotified[slot]) {
                    st.lastNotified[slot] = e.lastNotified;
                }
            }
            return e;
        }
    }

    private static AlertRule standIn(Alert a) {
        AlertRule.Builder b = AlertRule.named(a.rule()).type(a.type()).when(r -> false).message("{rule} on {device_id}");
        if (a.channel() != null) {
            b.channel(a.channel());
        }
        return b.build();
    }

    // ---------------------------------------------------------------- counters

    /** @return the device counters, each device read under its own lock */
    DeviceTotals deviceTotals() {
        long readings = 0;
        long updated = 0;
        long late = 0;
        for (DeviceState st : devices.values()) {
            synchronized (st) {
                readings += st.readings;
                updated += st.updated;
                late += st.late;
            }
        }
        return new DeviceTotals(readings, updated, late);
    }

    long predictions() {
        return predictions.sum();
    }

    long ruleErrors() {
        return ruleErrors.sum();
    }

    // ---------------------------------------------------------------- internals

    private DeviceState device(String id) {
        DeviceState st = devices.get(id);
        return st != null ? st : devices.computeIfAbsent(id, DeviceState::new);
    }

    /** Renders the message and opens the alert; call with the device lock held. */
    private void raise(DeviceState st, int slot, AlertRule rule, SensorReading r, Prediction p, double value, long now) {
        String message;
        try {
            Instant ts = r != null ? r.timestamp() : p != null ? p.timestamp() : Instant.ofEpochMilli(now);
            message = rule.template().render(new MessageTemplate.Context(st.deviceId, rule.name(), rule.type(),
                    rule.priority(), rule.channel(), value, 1, ts, r, p));
        } catch (RuntimeException e) {
            ruleError(rule, e);
            message = rule.name() + " on " + st.deviceId;
        }
        book.raise(st, slot, rule, message, value, now);
    }

    /** A new match of an open alert; call with the device lock held. */
    private static void update(Entry e, double value, long now) {
        e.restored = false;
        e.dirty = true;
        e.count++;
        e.lastValue = value;
        e.lastSeen = now;
        e.device.updated++;
    }

    private void ruleError(AlertRule rule, RuntimeException e) {
        ruleErrors.increment();
        if (ruleErrorLogged.putIfAbsent(rule.name(), Boolean.TRUE) == null) {
            LOG.warn("rule '{}' threw and was skipped (logged once per rule, counted in stats): {}", rule.name(),
                    e.toString());
        }
    }
}
