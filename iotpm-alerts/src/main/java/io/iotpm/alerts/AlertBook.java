package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.StoredAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The alerts of one manager: their life cycle (ACTIVE → ACKNOWLEDGED → RESOLVED, escalation,
 * re-notification, auto-resolve), whether each notification goes out (cooldown, silences,
 * inhibition), the bounded history, and the queries over it.
 *
 * <p>Every change to an {@link Entry} happens under its device's lock (see {@link DeviceState}), so
 * an alert's notifications are queued in the order its changes happened. Lock order: device lock,
 * then {@link #historyLock}; readers copy the history first and only then take device locks one by
 * one, so the two orders never meet.
 *
 * <p>Durability: every life-cycle change is written to the {@link AlertStore} under the device lock,
 * before its notification is queued, so a crash after a notification never loses the change that
 * caused it. Match counters only mark the entry dirty; the sweep writes them. A person's change
 * (acknowledge, resolve) is undone and the error thrown when the store refuses it; a change from
 * ingest stays in memory, marked dirty, and the sweep writes it again.
 */
final class AlertBook {

    // Logs under the facade's name, like RuleEngine, so a host's logger settings still apply.
    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);
    /** Alert ids reserved from the store at a time; a restart skips the unused rest of a block. */
    static final int ID_BLOCK = 32;

    private final Clock clock;
    private final long autoResolveMillis;
    private final int historyLimit;
    private final Silences silences;
    private final NotifierHub hub;
    private final AlertStore store;

    /** Open alerts by id; written under the entry's device lock, read without it. */
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();
    private final Object historyLock = new Object();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Map<Long, Entry> historyById = new HashMap<>();
    private final Object idLock = new Object();
    private long nextId;
    private long idLimit;

    private final LongAdder fired = new LongAdder();
    private final LongAdder resolved = new LongAdder();
    private final LongAdder escalated = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    /** Whether the last store write failed, so a failing store is logged once per outage, not per write. */
    private volatile boolean storeFailing;
    // By priority for the metrics; index = Priority.ordinal(). Fired counts the priority at raise time,
    // resolved the priority at resolution (after any escalation).
    private final LongAdder[] firedBy = adders();
    private final LongAdder[] resolvedBy = adders();

    /**
     * @param autoResolveMillis resolve an open alert after this long without a match; {@code Long.MAX_VALUE} never
     */
    AlertBook(Clock clock, long autoResolveMillis, int historyLimit, Silences silences, NotifierHub hub,
              AlertStore store) {
        this.clock = clock;
        this.store = store;
        this.autoResolveMillis = autoResolveMillis;
        this.historyLimit = historyLimit;
        this.silences = silences;
        this.hub = hub;
    }

    // ---------------------------------------------------------------- changes from the rule engine

    /** Opens a new alert of {@code rule} in {@code slot} of {@code st} and notifies; call with the device lock held. */
    void raise(DeviceState st, int slot, AlertRule rule, String message, double value, long now) {
        long id;
        try {
            id = nextId();
        } catch (RuntimeException ex) {
            // Without a reserved id there is no alert: an id must never be handed out twice. The
            // next matching reading tries again.
            storeFailed("reserving an alert id", ex);
            return;
        }
        Entry e = new Entry(id, rule, slot, st, message, now, value);
        st.open(e, rule.clear());
        remember(e);
        fired.increment();
        firedBy[e.priority.ordinal()].increment();
        notifyRaise(e, AlertNotification.Event.FIRED, now);
    }

    /** Adds {@code e} to the open alerts (when open) and the history; call with its device lock held or before start. */
    private void remember(Entry e) {
        if (e.state.isOpen()) {
            open.put(e.id, e);
        }
        synchronized (historyLock) {
            history.addLast(e);
            historyById.put(e.id, e);
            while (history.size() > historyLimit) {
                historyById.remove(history.pollFirst().id);
            }
        }
    }

    /** Takes back an entry saved before a restart (in increasing id order); before the manager starts. */
    void restore(Entry e) {
        remember(e);
    }

    /** Resolves an open alert; call with the device lock held. */
    void resolve(Entry e, Resolution why, String by, long now) {
        markResolved(e, why, by, now);
        persist(e);
        finishResolve(e, now);
    }

    private static void markResolved(Entry e, Resolution why, String by, long now) {
        e.state = AlertState.RESOLVED;
        e.resolution = why;
        e.resolvedBy = by;
        e.resolvedAt = now;
    }

    /** The in-memory and notification part of a resolve, once the store has it. */
    private void finishResolve(Entry e, long now) {
        e.device.close(e);
        open.remove(e.id);
        resolved.increment();
        resolvedBy[e.priority.ordinal()].increment();
        // Nobody heard of an alert whose every notification was held back: don't tell them it is over.
        if (e.notifications > 0) {
            hub.dispatch(new AlertNotification(AlertNotification.Event.RESOLVED, e.snapshot(), Instant.ofEpochMilli(now)));
        }
    }

    /**
     * The time-based part of the sweep: auto-resolve, escalation and re-notification of every open
     * alert, each under its own device lock.
     */
    void sweep(long now) {
        for (Entry e : open.values()) {
            synchronized (e.device) {
                sweepEntry(e, now);
                if (e.dirty) {
                    persist(e);
                }
            }
        }
    }

    /** Writes every open alert with unsaved counters; on close. */
    void flush() {
        for (Entry e : open.values()) {
            synchronized (e.device) {
                if (e.dirty) {
                    persist(e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- changes by people

    /** See {@link AlertManager#acknowledge(long, String)}. */
    Alert acknowledge(long id, String by) {
        requireWho(by);
        Entry e = find(id);
        long now = clock.millis();
        synchronized (e.device) {
            if (e.state != AlertState.ACTIVE) {
                throw new IllegalStateException("alert " + id + " is " + e.state + "; only an ACTIVE alert can be acknowledged");
            }
            e.state = AlertState.ACKNOWLEDGED;
            e.acknowledgedBy = by;
            e.acknowledgedAt = now;
            try {
                store.save(e.stored());
            } catch (RuntimeException ex) {
                e.state = AlertState.ACTIVE;
                e.acknowledgedBy = null;
                e.acknowledgedAt = 0;
                throw ex;
            }
            e.dirty = false;
            Alert a = e.snapshot();
            hub.dispatch(new AlertNotification(AlertNotification.Event.ACKNOWLEDGED, a, Instant.ofEpochMilli(now)));
            return a;
        }
    }

    /** See {@link AlertManager#resolve(long, String)}. */
    Alert resolveByHand(long id, String by) {
        requireWho(by);
        Entry e = find(id);
        long now = clock.millis();
        synchronized (e.device) {
            if (e.state == AlertState.RESOLVED) {
                throw new IllegalStateException("alert " + id + " is already RESOLVED (" + e.resolution + ")");
            }
            AlertState was = e.state;
            markResolved(e, Resolution.MANUAL, by, now);
            try {
                store.save(e.stored());
            } catch (RuntimeException ex) {
                e.state = was;
                e.resolution = null;
                e.resolvedBy = null;
                e.resolvedAt = 0;
                throw ex;
            }
            e.dirty = false;
            finishResolve(e, now);
            return e.snapshot();
        }
    }

    // ---------------------------------------------------------------- queries

    /** See {@link AlertManager#get(long)}. */
    Optional<Alert> get(long id) {
        Entry e = lookup(id);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e.device) {
            return Optional.of(e.snapshot());
        }
    }

    /** See {@link AlertManager#active()}. */
    List<Alert> active() {
        List<Alert> out = new ArrayList<>();
        for (Entry e : open.values()) {
            synchronized (e.device) {
                if (e.state.isOpen()) {
                    out.add(e.snapshot());
                }
            }
        }
        out.sort(Comparator.comparing(Alert::priority).reversed().thenComparing(Comparator.comparingLong(Alert::id).reversed()));
        return out;
    }

    /** See {@link AlertManager#history(AlertQuery)}. */
    List<Alert> history(AlertQuery query) {
        Objects.requireNonNull(query, "query");
        List<Entry> copy;
        synchronized (historyLock) {
            copy = new ArrayList<>(history);
        }
        List<Alert> out = new ArrayList<>();
        for (int i = copy.size() - 1; i >= 0 && out.size() < query.limit(); i--) {
            Entry e = copy.get(i);
            Alert a;
            synchronized (e.device) {
                a = e.snapshot();
            }
            if (query.matches(a)) {
                out.add(a);
            }
        }
        return out;
    }

    long fired() {
        return fired.sum();
    }

    long resolved() {
        return resolved.sum();
    }

    Map<Priority, Long> firedByPriority() {
        return byPriority(firedBy);
    }

    Map<Priority, Long> resolvedByPriority() {
        return byPriority(resolvedBy);
    }

    private static LongAdder[] adders() {
        LongAdder[] out = new LongAdder[Priority.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new LongAdder();
        }
        return out;
    }

    private static Map<Priority, Long> byPriority(LongAdder[] adders) {
        Map<Priority, Long> out = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            out.put(p, adders[p.ordinal()].sum());
        }
        return out;
    }

    long escalated() {
        return escalated.sum();
    }

    long suppressed() {
        return suppressed.sum();
    }

    long storeErrors() {
        return storeErrors.sum();
    }

    /**
     * See {@link AlertManager#deleteHistoryBefore(java.time.Instant)}: RESOLVED alerts resolved before
     * {@code cutoff} leave the store and the in-memory history.
     */
    long deleteHistoryBefore(Instant cutoff) {
        long deleted = store.deleteHistoryBefore(cutoff);
        List<Entry> copy;
        synchronized (historyLock) {
            copy = new ArrayList<>(history);
        }
        Set<Long> gone = new HashSet<>();
        for (Entry e : copy) {
            synchronized (e.device) {
                if (e.state == AlertState.RESOLVED && e.resolvedAt < cutoff.toEpochMilli()) {
                    gone.add(e.id);
                }
            }
        }
        if (!gone.isEmpty()) {
            synchronized (historyLock) {
                // One pass over the deque, not a remove per alert: retention may drop thousands at once.
                history.removeIf(e -> gone.contains(e.id));
                historyById.keySet().removeAll(gone);
            }
        }
        return deleted;
    }

    // ---------------------------------------------------------------- internals

    private long nextId() {
        synchronized (idLock) {
            if (nextId == idLimit) {
                long first = store.reserveIds(AlertStore.ALERT_IDS, ID_BLOCK);
                nextId = first;
                idLimit = first + ID_BLOCK;
            }
            return nextId++;
        }
    }

    /** Writes {@code e}, or leaves it dirty for the sweep when the store fails; call with its device lock held. */
    private void persist(Entry e) {
        try {
            store.save(e.stored());
            e.dirty = false;
            if (storeFailing) {
                storeFailing = false;
                LOG.info("alert store {} works again", store.description());
            }
        } catch (RuntimeException ex) {
            e.dirty = true;
            storeFailed("saving alert " + e.id, ex);
        }
    }

    private void storeFailed(String what, RuntimeException ex) {
        storeErrors.increment();
        if (!storeFailing) {
            storeFailing = true;
            LOG.warn("alert store {} failed {} (kept in memory, written again by the sweep; logged once until it"
                    + " works again): {}", store.description(), what, ex.toString());
        }
    }

    /** Call with the device lock held. */
    private void sweepEntry(Entry e, long now) {
        if (!e.state.isOpen()) {
            return;
        }
        if (now - e.lastSeen >= autoResolveMillis) {
            resolve(e, Resolution.TIMEOUT, "timeout", now);
            return;
        }
        if (e.state != AlertState.ACTIVE) {
            return;
        }
        AlertRule rule = e.rule;
        Duration esc = rule.escalateAfter();
        if (esc != null && e.priority != Priority.CRITICAL && now - e.lastEscalation >= esc.toMillis()) {
            e.priority = e.priority.raised();
            e.escalations++;
            e.lastEscalation = now;
            escalated.increment();
            notifyRaise(e, AlertNotification.Event.ESCALATED, now);
            return;
        }
        Duration again = rule.renotifyEvery();
        if (again != null && e.lastNotified != Long.MIN_VALUE && now - e.lastNotified >= again.toMillis()) {
            notifyRaise(e, AlertNotification.Event.RENOTIFIED, now);
        }
    }

    /** Sends a raise event unless cooldown, a silence or inhibition holds it back; call with the device lock held. */
    private void notifyRaise(Entry e, AlertNotification.Event event, long now) {
        Suppression why = null;
        DeviceState st = e.device;
        if (event == AlertNotification.Event.FIRED && e.slot >= 0 && st.lastNotified[e.slot] != Long.MIN_VALUE
                && now - st.lastNotified[e.slot] < e.rule.cooldownMillis()) {
            why = Suppression.COOLDOWN;
        } else if (silences.mutes(e.rule.name(), st.deviceId, now)) {
            why = Suppression.SILENCED;
        } else if (inhibited(e)) {
            why = Suppression.INHIBITED;
        }
        if (why != null) {
            e.suppressed = why;
            suppressed.increment();
            persist(e);
            return;
        }
        e.suppressed = null;
        e.notifications++;
        e.lastNotified = now;
        if (e.slot >= 0) {
            st.lastNotified[e.slot] = now;
        }
        // Stored first: after a crash the alert comes back as notified, so nobody is told twice.
        persist(e);
        hub.dispatch(new AlertNotification(event, e.snapshot(), Instant.ofEpochMilli(now)));
    }

    /** Call with the device lock held: it reads the device's other open alerts. */
    private static boolean inhibited(Entry e) {
        if (e.priority == Priority.CRITICAL) {
            return false;
        }
        for (Entry o : e.device.open) {
            if (o != null && o != e && o.priority == Priority.CRITICAL && o.rule.type() == e.rule.type()) {
                return true;
            }
        }
        return false;
    }

    private Entry lookup(long id) {
        Entry e = open.get(id);
        if (e == null) {
            synchronized (historyLock) {
                e = historyById.get(id);
            }
        }
        return e;
    }

    private Entry find(long id) {
        Entry e = lookup(id);
        if (e == null) {
            throw new NoSuchElementException("no alert with id " + id);
        }
        return e;
    }

    private static void requireWho(String by) {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("who must be a non-blank name, but was '" + by + "'");
        }
    }
}
