package io.iotpm.alerts;

import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Evaluates {@link AlertRule}s on readings and predictions, one state per (rule, device), and tracks
 * the alerts they raise (the original system's {@code AlertManager.process_data}).
 *
 * <ul>
 * <li><b>Deduplication</b>: while an alert of a rule is open for a device, new matches update it
 *     ({@link Alert#count()}, {@link Alert#lastValue()}, {@link Alert#lastSeen()}).</li>
 * <li><b>Cooldown</b>: a rule notifies a device at most once per {@link AlertRule#cooldown()}, also
 *     across a resolve and a new alert (flapping).</li>
 * <li><b>Life cycle</b>: ACTIVE → ACKNOWLEDGED → RESOLVED, by the rule's clear condition, by a person,
 *     or after {@link Builder#autoResolveAfter(Duration)} without a match; escalation and
 *     re-notification of unacknowledged alerts per rule.</li>
 * <li><b>Silences and inhibition</b>: notifications are held back for silenced rules/devices, and for
 *     lower-priority alerts of a type while a CRITICAL alert of that type is open on the device.</li>
 * <li><b>Notifiers off the ingest thread</b>: every notifier and callback has its own named daemon
 *     thread and bounded queue; {@code process} never waits for one, failures are retried with
 *     exponential backoff and counted in {@link #stats()}.</li>
 * </ul>
 *
 * <p>Time-based work (cooldowns, escalation, auto-resolve, no-data detection) uses the injected
 * {@link Clock}. It runs in a <em>sweep</em>: from {@code process} at most once per
 * {@link Builder#sweepInterval(Duration)} of clock time, from a background ticker every
 * {@link Builder#tickInterval(Duration)}, or when the host calls {@link #tick()}.
 *
 * <p>Thread-safe. Readings of one device are evaluated under that device's lock, so different
 * devices proceed in parallel; a pipeline should deliver each device's readings in order.
 */
public final class AlertManager implements MonitoringListener, AutoCloseable {

    /** Default {@link Builder#autoResolveAfter(Duration)}: one hour without a match. */
    public static final Duration DEFAULT_AUTO_RESOLVE = Duration.ofHours(1);
    /** Default {@link Builder#sweepInterval(Duration)}. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Default {@link Builder#tickInterval(Duration)}. */
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(5);
    /** Rule name of the notification {@link #sendTest} sends. */
    public static final String TEST_RULE = "iotpm-test-notification";
    /** Device id of the notification {@link #sendTest} sends. */
    public static final String TEST_DEVICE = "iotpm-test";
    /** Message of the notification {@link #sendTest} sends. */
    public static final String TEST_MESSAGE =
            "TEST notification from iotpm: this notifier works. No device raised an alert; no action needed.";
    /** Default {@link Builder#queueCapacity(int)} per notifier. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    /** Default {@link Builder#maxAttempts(int)} per notification. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default {@link Builder#retryBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Default {@link Builder#historyLimit(int)}. */
    public static final int DEFAULT_HISTORY_LIMIT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    /** Immutable view of the rules; replaced as a whole when rules are added or removed. */
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

    private final Clock clock;
    private final long autoResolveMillis;
    private final long sweepMillis;
    private final int queueCapacity;
    private final int maxAttempts;
    private final long backoffMillis;
    private final int historyLimit;
    private final long closeTimeoutMillis;
    private final ThreadFactory threadFactory;

    private final Object rulesLock = new Object();
    private volatile RuleSet rules;
    private final ConcurrentHashMap<String, DeviceState> devices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();
    private final Object historyLock = new Object();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Map<Long, Entry> historyById = new HashMap<>();
    private final CopyOnWriteArrayList<Silence> silences = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final AtomicLong alertIds = new AtomicLong();
    private final AtomicLong silenceIds = new AtomicLong();
    private final AtomicInteger callbackIds = new AtomicInteger();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long nextSweep = Long.MIN_VALUE;
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;
    private final Map<String, Boolean> ruleErrorLogged = new ConcurrentHashMap<>();

    private final LongAdder predictions = new LongAdder();
    private final LongAdder fired = new LongAdder();
    private final LongAdder resolved = new LongAdder();
    private final LongAdder escalated = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final LongAdder ruleErrors = new LongAdder();

    private AlertManager(Builder b) {
        this.clock = b.clock;
        this.autoResolveMillis = b.autoResolveAfter.isZero() ? Long.MAX_VALUE : b.autoResolveAfter.toMillis();
        this.sweepMillis = b.sweepInterval.toMillis();
        this.queueCapacity = b.queueCapacity;
        this.maxAttempts = b.maxAttempts;
        this.backoffMillis = b.retryBackoff.toMillis();
        this.historyLimit = b.historyLimit;
        this.closeTimeoutMillis = b.closeTimeout.toMillis();
        this.threadFactory = b.threadFactory != null ? b.threadFactory : Thread::new;
        this.rules = RuleSet.of(b.rules.values().toArray(new AlertRule[0]));
        for (int i = 0; i < b.notifiers.size(); i++) {
            Notifier n = b.notifiers.get(i);
            int cap = b.capacities.get(i) > 0 ? b.capacities.get(i) : queueCapacity;
            dispatchers.add(new Dispatcher(n, uniqueName(n.name()), cap, maxAttempts, backoffMillis, threadFactory));
        }
        for (Consumer<Alert> c : b.callbacks) {
            dispatchers.add(callbackDispatcher(c));
        }
        if (b.tickInterval.isZero()) {
            this.ticker = null;
        } else {
            ThreadFactory tf = r -> {
                Thread t = threadFactory.newThread(r);
                t.setName("iotpm-alerts-ticker");
                t.setDaemon(true);
                return t;
            };
            this.ticker = Executors.newSingleThreadScheduledExecutor(tf);
        }
    }

    private void start(Duration tickInterval) {
        for (Dispatcher d : dispatchers) {
            d.start();
        }
        if (ticker != null) {
            long ms = tickInterval.toMillis();
            ticker.scheduleWithFixedDelay(this::tickQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- ingest

    /**
     * Evaluates every reading rule on {@code reading}. Returns quickly: notifications are queued for
     * the notifier threads. A rule that throws is skipped for this reading, logged once and counted.
     *
     * @param reading a reading; each device's readings should arrive in time order
     * @throws IllegalStateException after {@link #close()}
     */
    public void process(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        requireOpen();
        long now = clock.millis();
        RuleSet rs = rules;
        DeviceState st = device(reading.deviceId());
        synchronized (st) {
            st.ensure(rs.slots.length);
            st.lastArrival = now;
            st.readings++;
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
                boolean clear = !hit && rule.clearsWhenFalse();
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
                    resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
            for (int s : rs.noData) {
                Entry e = st.open[s];
                if (e != null) {
                    resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
        }
        if (now >= nextSweep) {
            sweep(now);
        }
    }

    /**
     * Evaluates every prediction rule on {@code prediction}.
     *
     * @param prediction a prediction
     * @throws IllegalStateException after {@link #close()}
     */
    public void process(Prediction prediction) {
        Objects.requireNonNull(prediction, "prediction");
        requireOpen();
        predictions.increment();
        long now = clock.millis();
        RuleSet rs = rules;
        if (rs.prediction.length == 0) {
            return;
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
                    resolve(e, Resolution.CLEARED, "rule", now);
                }
            }
        }
        if (now >= nextSweep) {
            sweep(now);
        }
    }

    /** Same as {@link #process(SensorReading)}: the pipeline's hook. */
    @Override
    public void onReading(SensorReading reading) {
        process(reading);
    }

    /** Same as {@link #process(Prediction)}: the pipeline's hook. */
    @Override
    public void onPrediction(Prediction prediction) {
        process(prediction);
    }

    /**
     * Runs the time-based work now: auto-resolve, escalation, re-notification, no-data detection and
     * expired silences. The background ticker and {@code process} call it too; hosts without a ticker
     * (and tests with a fixed clock) call it themselves.
     */
    public void tick() {
        requireOpen();
        sweep(clock.millis());
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Marks an ACTIVE alert as taken: no more re-notification or escalation.
     *
     * @param id alert id
     * @param by who, non-blank
     * @return the updated alert
     * @throws NoSuchElementException if there is no alert with that id
     * @throws IllegalStateException  if the alert is not ACTIVE
     */
    public Alert acknowledge(long id, String by) {
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
            Alert a = e.snapshot();
            dispatch(new AlertNotification(AlertNotification.Event.ACKNOWLEDGED, a, Instant.ofEpochMilli(now)));
            return a;
        }
    }

    /**
     * Resolves an open alert by hand.
     *
     * @param id alert id
     * @param by who, non-blank
     * @return the resolved alert
     * @throws NoSuchElementException if there is no alert with that id
     * @throws IllegalStateException  if it is already RESOLVED
     */
    public Alert resolve(long id, String by) {
        requireWho(by);
        Entry e = find(id);
        long now = clock.millis();
        synchronized (e.device) {
            if (e.state == AlertState.RESOLVED) {
                throw new IllegalStateException("alert " + id + " is already RESOLVED (" + e.resolution + ")");
            }
            resolve(e, Resolution.MANUAL, by, now);
            return e.snapshot();
        }
    }

    /**
     * @param id alert id
     * @return the alert, if it is open or still in the history
     */
    public Optional<Alert> get(long id) {
        Entry e = open.get(id);
        if (e == null) {
            synchronized (historyLock) {
                e = historyById.get(id);
            }
        }
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e.device) {
            return Optional.of(e.snapshot());
        }
    }

    /**
     * @return every open (ACTIVE or ACKNOWLEDGED) alert, most urgent first, then newest first. Each
     *         alert is a consistent snapshot; the list is weakly consistent, like a concurrent map's
     *         view: an alert raised while it is being built may be missing.
     */
    public List<Alert> active() {
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

    /**
     * Queries the history (the newest {@link Builder#historyLimit(int)} alerts, open or not).
     *
     * @param query the filter
     * @return matching alerts, newest first
     */
    public List<Alert> history(AlertQuery query) {
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

    // ---------------------------------------------------------------- silences

    /**
     * Mutes notifications matching {@code silence} until its end.
     *
     * @param silence what to mute ({@link Silence#of})
     * @return the stored silence, with its id
     */
    public Silence silence(Silence silence) {
        Silence s = Objects.requireNonNull(silence, "silence").withId(silenceIds.incrementAndGet());
        silences.add(s);
        return s;
    }

    /**
     * @param id a silence id
     * @return whether a silence was removed
     */
    public boolean unsilence(long id) {
        return silences.removeIf(s -> s.id() == id);
    }

    /** @return the silences that have not ended yet */
    public List<Silence> silences() {
        Instant now = clock.instant();
        return silences.stream().filter(s -> now.isBefore(s.until())).toList();
    }

    // ---------------------------------------------------------------- rules and notifiers

    /** @return the rules, in the order they were added */
    public List<AlertRule> rules() {
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : rules.slots) {
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Adds a rule at run time (the original's {@code add_rule}).
     *
     * @param rule the rule
     * @throws IllegalArgumentException if a rule of that name exists
     */
    public void addRule(AlertRule rule) {
        Objects.requireNonNull(rule, "rule");
        synchronized (rulesLock) {
            for (AlertRule r : rules.slots) {
                if (r != null && r.name().equals(rule.name())) {
                    throw new IllegalArgumentException("a rule named '" + rule.name() + "' exists already");
                }
            }
            AlertRule[] slots = java.util.Arrays.copyOf(rules.slots, rules.slots.length + 1);
            slots[slots.length - 1] = rule;
            rules = RuleSet.of(slots);
        }
    }

    /**
     * Removes a rule; its open alerts stay open until resolved by hand or by timeout.
     *
     * @param name rule name
     * @return whether a rule was removed
     */
    public boolean removeRule(String name) {
        synchronized (rulesLock) {
            AlertRule[] slots = rules.slots.clone();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null && slots[i].name().equals(name)) {
                    // The slot stays empty rather than shifting, so per-device arrays stay aligned.
                    slots[i] = null;
                    rules = RuleSet.of(slots);
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Registers a callback for raised alerts (FIRED, RENOTIFIED, ESCALATED), the original's
     * {@code add_callback}. It runs on its own thread with a bounded queue, like a notifier.
     *
     * @param callback receives the alert snapshot
     * @throws IllegalStateException after {@link #close()}
     */
    public void addCallback(Consumer<Alert> callback) {
        requireOpen();
        Dispatcher d = callbackDispatcher(Objects.requireNonNull(callback, "callback"));
        dispatchers.add(d);
        d.start();
    }

    /**
     * The configured notifiers (not callbacks), for settings screens: each one's name, kind and
     * secret-free details ({@link Notifier#kind()}, {@link Notifier#details()}) with its delivery counters.
     *
     * @return the notifiers in registration order
     */
    public List<NotifierInfo> notifiers() {
        List<NotifierInfo> out = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            if (!d.isCallback()) {
                Notifier n = d.notifier();
                out.add(new NotifierInfo(d.name(), n.kind(), Map.copyOf(n.details()), d.stats()));
            }
        }
        return out;
    }

    /**
     * Sends a clearly marked test notification ({@link #TEST_RULE}, {@link #TEST_MESSAGE}, event FIRED,
     * alert id 0, device {@value #TEST_DEVICE}) through every configured notifier, or the one named, and
     * waits for the outcomes. Nothing enters the alert history, the statistics or any callback; each
     * notifier is tried once (no retries) on its own thread, queued behind notifications already
     * waiting. A notifier that does not accept FIRED events (e.g. disabled e-mail) is reported as skipped.
     *
     * @param notifier the {@link NotifierInfo#name()} to test, or {@code null} for all
     * @param timeout  how long to wait for all outcomes together, positive; a notifier still busy then
     *                 is reported as failed with a timeout (its send continues in the background)
     * @return one result per tested notifier, in registration order
     * @throws IllegalArgumentException if no notifier has that name, or the timeout is not positive
     * @throws IllegalStateException    after {@link #close()}
     */
    public List<NotifierTestResult> sendTest(String notifier, Duration timeout) {
        requireOpen();
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
        List<Dispatcher> targets = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            if (!d.isCallback() && (notifier == null || d.name().equals(notifier))) {
                targets.add(d);
            }
        }
        if (notifier != null && targets.isEmpty()) {
            throw new IllegalArgumentException("no notifier named '" + notifier + "'; configured: "
                    + notifiers().stream().map(NotifierInfo::name).toList());
        }
        Instant now = clock.instant();
        Alert alert = new Alert(0, TEST_RULE, AlertType.THRESHOLD, Priority.LOW, TEST_DEVICE, null, TEST_MESSAGE,
                AlertState.ACTIVE, now, now, 1, Double.NaN, null, null, null, null, null, 0, 0, null);
        AlertNotification n = new AlertNotification(AlertNotification.Event.FIRED, alert, now);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        long[] started = new long[targets.size()];
        // Written by the notifier thread when its send ends; read only after the future completed.
        java.util.concurrent.atomic.AtomicLongArray ended = new java.util.concurrent.atomic.AtomicLongArray(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Dispatcher d = targets.get(i);
            started[i] = System.nanoTime();
            boolean accepts;
            try {
                accepts = d.notifier().accepts(AlertNotification.Event.FIRED);
            } catch (RuntimeException e) {
                accepts = true;
            }
            int slot = i;
            futures.add(accepts ? d.offerTest(n).whenComplete((v, e) -> ended.set(slot, System.nanoTime())) : null);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NotifierTestResult> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String name = targets.get(i).name();
            CompletableFuture<Void> f = futures.get(i);
            if (f == null) {
                out.add(new NotifierTestResult(name, NotifierTestResult.Outcome.SKIPPED,
                        "the notifier does not accept FIRED events (disabled?)", 0));
                continue;
            }
            NotifierTestResult.Outcome outcome = NotifierTestResult.Outcome.SENT;
            String error = null;
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                outcome = NotifierTestResult.Outcome.FAILED;
                error = "no outcome within " + timeout.toMillis() + " ms";
            } catch (ExecutionException e) {
                outcome = NotifierTestResult.Outcome.FAILED;
                error = describe(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = NotifierTestResult.Outcome.FAILED;
                error = "interrupted while waiting";
            }
            long end = ended.get(i);
            long ms = end != 0 ? (end - started[i]) / 1_000_000 : timeout.toMillis();
            out.add(new NotifierTestResult(name, outcome, error, ms));
        }
        return out;
    }

    /** {@code ConnectException: Connection refused}, with the root cause's message when there is one. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root != t) {
            msg += " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + ")";
        }
        return msg.length() > 500 ? msg.substring(0, 500) + "..." : msg;
    }

    /** @return counters since the manager was built */
    public AlertStats stats() {
        List<AlertStats.NotifierStats> ns = new ArrayList<>();
        for (Dispatcher d : dispatchers) {
            ns.add(d.stats());
        }
        long readings = 0;
        long updated = 0;
        for (DeviceState st : devices.values()) {
            synchronized (st) {
                readings += st.readings;
                updated += st.updated;
            }
        }
        return new AlertStats(readings, predictions.sum(), fired.sum(), updated, resolved.sum(),
                escalated.sum(), suppressed.sum(), ruleErrors.sum(), ns);
    }

    /**
     * Stops the ticker and the notifier threads, after giving queued notifications up to the close
     * timeout to go out. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMillis);
        for (Dispatcher d : dispatchers) {
            d.close(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
    }

    // ---------------------------------------------------------------- internals

    private DeviceState device(String id) {
        DeviceState st = devices.get(id);
        return st != null ? st : devices.computeIfAbsent(id, DeviceState::new);
    }

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
        Entry e = new Entry(alertIds.incrementAndGet(), rule, slot, st, message, now, value);
        st.open[slot] = e;
        Condition clear = rule.clear();
        st.clearTests[slot] = clear == null ? null : clear.newTest();
        open.put(e.id, e);
        synchronized (historyLock) {
            history.addLast(e);
            historyById.put(e.id, e);
            while (history.size() > historyLimit) {
                historyById.remove(history.pollFirst().id);
            }
        }
        fired.increment();
        notifyRaise(e, AlertNotification.Event.FIRED, now);
    }

    /** Call with the device lock held. */
    private static void update(Entry e, double value, long now) {
        e.count++;
        e.lastValue = value;
        e.lastSeen = now;
        e.device.updated++;
    }

    /** Call with the device lock held. */
    private void resolve(Entry e, Resolution why, String by, long now) {
        e.state = AlertState.RESOLVED;
        e.resolution = why;
        e.resolvedBy = by;
        e.resolvedAt = now;
        DeviceState st = e.device;
        if (e.slot < st.open.length && st.open[e.slot] == e) {
            st.open[e.slot] = null;
            st.clearTests[e.slot] = null;
        }
        open.remove(e.id);
        resolved.increment();
        // Nobody heard of an alert whose every notification was held back: don't tell them it is over.
        if (e.notifications > 0) {
            dispatch(new AlertNotification(AlertNotification.Event.RESOLVED, e.snapshot(), Instant.ofEpochMilli(now)));
        }
    }

    /** Call with the device lock held. */
    private void notifyRaise(Entry e, AlertNotification.Event event, long now) {
        Suppression why = null;
        DeviceState st = e.device;
        if (event == AlertNotification.Event.FIRED && st.lastNotified[e.slot] != Long.MIN_VALUE
                && now - st.lastNotified[e.slot] < e.rule.cooldownMillis()) {
            why = Suppression.COOLDOWN;
        } else if (silenced(e.rule.name(), st.deviceId, now)) {
            why = Suppression.SILENCED;
        } else if (inhibited(e)) {
            why = Suppression.INHIBITED;
        }
        if (why != null) {
            e.suppressed = why;
            suppressed.increment();
            return;
        }
        e.suppressed = null;
        e.notifications++;
        e.lastNotified = now;
        st.lastNotified[e.slot] = now;
        dispatch(new AlertNotification(event, e.snapshot(), Instant.ofEpochMilli(now)));
    }

    private boolean silenced(String rule, String deviceId, long now) {
        if (silences.isEmpty()) {
            return false;
        }
        Instant t = Instant.ofEpochMilli(now);
        for (Silence s : silences) {
            if (s.matches(rule, deviceId, t)) {
                return true;
            }
        }
        return false;
    }

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

    private void dispatch(AlertNotification n) {
        for (Dispatcher d : dispatchers) {
            d.offer(n);
        }
    }

    private void sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            nextSweep = now + sweepMillis;
            for (Entry e : open.values()) {
                synchronized (e.device) {
                    sweepEntry(e, now);
                }
            }
            RuleSet rs = rules;
            if (rs.noData.length > 0) {
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
            if (!silences.isEmpty()) {
                Instant t = Instant.ofEpochMilli(now);
                silences.removeIf(s -> !t.isBefore(s.until()));
            }
        } finally {
            sweeping.set(false);
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

    private void tickQuietly() {
        try {
            if (!closed) {
                sweep(clock.millis());
            }
        } catch (RuntimeException e) {
            LOG.warn("alert sweep failed", e);
        }
    }

    private void ruleError(AlertRule rule, RuntimeException e) {
        ruleErrors.increment();
        if (ruleErrorLogged.putIfAbsent(rule.name(), Boolean.TRUE) == null) {
            LOG.warn("rule '{}' threw and was skipped (logged once per rule, counted in stats): {}", rule.name(),
                    e.toString());
        }
    }

    private Entry find(long id) {
        Entry e = open.get(id);
        if (e == null) {
            synchronized (historyLock) {
                e = historyById.get(id);
            }
        }
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

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("alert manager is closed");
        }
    }

    private Dispatcher callbackDispatcher(Consumer<Alert> c) {
        Notifier n = new Notifier() {
            @Override
            public void send(AlertNotification notification) {
                c.accept(notification.alert());
            }

            @Override
            public boolean accepts(AlertNotification.Event event) {
                return event.isRaise();
            }
        };
        return new Dispatcher(n, "callback-" + callbackIds.incrementAndGet(), queueCapacity, maxAttempts,
                backoffMillis, threadFactory, true);
    }

    private String uniqueName(String base) {
        String n = base;
        int i = 2;
        while (true) {
            String candidate = n;
            if (dispatchers.stream().noneMatch(d -> d.name().equals(candidate))) {
                return n;
            }
            n = base + "-" + i++;
        }
    }

    /** Builds an {@link AlertManager}; {@link #build()} starts its threads. */
    public static final class Builder {
        private final Map<String, AlertRule> rules = new LinkedHashMap<>();
        private final List<Notifier> notifiers = new ArrayList<>();
        private final List<Integer> capacities = new ArrayList<>();
        private final List<Consumer<Alert>> callbacks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration autoResolveAfter = DEFAULT_AUTO_RESOLVE;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration tickInterval = DEFAULT_TICK_INTERVAL;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private int historyLimit = DEFAULT_HISTORY_LIMIT;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private ThreadFactory threadFactory;

        private Builder() {
        }

        /**
         * @param rule a rule
         * @throws IllegalArgumentException if a rule of the same name was added
         */
        public Builder rule(AlertRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (rules.putIfAbsent(rule.name(), rule) != null) {
                throw new IllegalArgumentException("a rule named '" + rule.name() + "' was added already");
            }
            return this;
        }

        /** @param rules rules, e.g. {@code AlertRules.defaults(schema)}; see {@link #rule(AlertRule)} */
        public Builder rules(Collection<AlertRule> rules) {
            for (AlertRule r : rules) {
                rule(r);
            }
            return this;
        }

        /** @param notifier gets every notification it {@link Notifier#accepts accepts}, on its own thread */
        public Builder notifier(Notifier notifier) {
            notifiers.add(Objects.requireNonNull(notifier, "notifier"));
            capacities.add(0);
            return this;
        }

        /**
         * @param notifier      see {@link #notifier(Notifier)}
         * @param queueCapacity this notifier's queue size, {@code >= 1}, instead of {@link #queueCapacity(int)}
         */
        public Builder notifier(Notifier notifier, int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, but was " + queueCapacity);
            }
            notifiers.add(Objects.requireNonNull(notifier, "notifier"));
            capacities.add(queueCapacity);
            return this;
        }

        /** @param callback gets raised alerts on its own thread; see {@link AlertManager#addCallback} */
        public Builder callback(Consumer<Alert> callback) {
            callbacks.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** @param clock time for cooldowns, escalation, auto-resolve and no-data; default system UTC */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param timeout resolve open alerts after this long without a match; {@code ZERO} never; default 1 h */
        public Builder autoResolveAfter(Duration timeout) {
            this.autoResolveAfter = nonNegative(timeout, "autoResolveAfter");
            return this;
        }

        /** @param interval run the sweep from {@code process} at most this often (clock time), {@code >= 0}; default 1 s */
        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = nonNegative(interval, "sweepInterval");
            return this;
        }

        /**
         * @param interval how often a background thread runs the sweep, needed to notice "no data" when
         *                 no reading arrives at all; {@code ZERO} starts no thread; default 5 s
         */
        public Builder tickInterval(Duration interval) {
            this.tickInterval = nonNegative(interval, "tickInterval");
            return this;
        }

        /** @param capacity queued notifications per notifier before new ones are dropped, {@code >= 1}; default 1024 */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, but was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** @param attempts tries per notification, 1 to 20; default 3 */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be in [1, 20], but was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** @param backoff wait after the first failure, doubled after each further one, {@code >= 0}; default 1 s */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = nonNegative(backoff, "retryBackoff");
            return this;
        }

        /** @param limit alerts kept for {@link AlertManager#history}, {@code >= 1}; default 10,000 */
        public Builder historyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("historyLimit must be >= 1, but was " + limit);
            }
            this.historyLimit = limit;
            return this;
        }

        /** @param timeout how long {@code close()} lets queued notifications go out, {@code >= 0}; default 5 s */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = nonNegative(timeout, "closeTimeout");
            return this;
        }

        /** @param factory creates the notifier and ticker threads (the manager names them); default plain threads */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** @return a running manager; close it to stop its threads */
        public AlertManager build() {
            AlertManager m = new AlertManager(this);
            m.start(tickInterval);
            return m;
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must be >= 0, but was " + d);
            }
            return d;
        }
    }
}
