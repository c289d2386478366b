package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.RuleEdit;
import io.iotpm.alerts.store.StoredAlert;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *     or after {@link AlertManagerBuilder#autoResolveAfter(Duration)} without a match; escalation and
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
 * {@link AlertManagerBuilder#sweepInterval(Duration)} of clock time, from a background ticker every
 * {@link AlertManagerBuilder#tickInterval(Duration)}, or when the host calls {@link #tick()}.
 *
 * <p>Thread-safe. Readings of one device are evaluated under that device's lock, so different
 * devices proceed in parallel; a pipeline should deliver each device's readings in order.
 *
 * <p>Durable with an {@link AlertStore} ({@link AlertManagerBuilder#store(AlertStore)}): alerts,
 * acknowledgements, silences and rule edits survive a restart, and alert ids are never reused.
 */
public final class AlertManager implements MonitoringListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    /** Default {@link AlertManagerBuilder#autoResolveAfter(Duration)}: one hour without a match. */
    public static final Duration DEFAULT_AUTO_RESOLVE = Duration.ofHours(1);
    /** Default {@link AlertManagerBuilder#sweepInterval(Duration)}. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Default {@link AlertManagerBuilder#tickInterval(Duration)}. */
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(5);
    /** Rule name of the notification {@link #sendTest} sends. */
    public static final String TEST_RULE = "iotpm-test-notification";
    /** Device id of the notification {@link #sendTest} sends. */
    public static final String TEST_DEVICE = "iotpm-test";
    /** Message of the notification {@link #sendTest} sends. */
    public static final String TEST_MESSAGE =
            "TEST notification from iotpm: this notifier works. No device raised an alert; no action needed.";
    /** Default {@link AlertManagerBuilder#queueCapacity(int)} per notifier. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    /** Default {@link AlertManagerBuilder#maxAttempts(int)} per notification. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default {@link AlertManagerBuilder#retryBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Default {@link AlertManagerBuilder#historyLimit(int)}. */
    public static final int DEFAULT_HISTORY_LIMIT = 10_000;

    /*
     * A facade over package-private collaborators. The lock they share is each device's DeviceState
     * monitor (its class comment has the rules); nothing taken inside it blocks, so ingest never
     * waits for a notifier, and one device's alerts change and are notified in ingest order.
     */
    private final Clock clock;
    private final long closeTimeoutMillis;
    private final Silences silences;
    private final AlertStore store;
    private final SensorSchema schema;
    private final NotifierHub hub;
    private final AlertBook book;
    private final RuleEngine engine;
    private final Sweeper sweeper;
    private volatile boolean closed;

    AlertManager(AlertManagerBuilder b) {
        this.clock = b.clock;
        this.closeTimeoutMillis = b.closeTimeout.toMillis();
        ThreadFactory threads = b.threadFactory != null ? b.threadFactory : Thread::new;
        this.hub = new NotifierHub(b.queueCapacity, Dispatcher.retrySchedule(b.retryBackoff, b.maxAttempts), threads);
        for (int i = 0; i < b.notifiers.size(); i++) {
            hub.addNotifier(b.notifiers.get(i), b.capacities.get(i));
        }
        for (Consumer<Alert> c : b.callbacks) {
            hub.addCallback(c);
        }
        this.store = b.store != null ? b.store : AlertStore.inMemory();
        this.schema = b.schema;
        this.silences = new Silences(store);
        long autoResolveMillis = b.autoResolveAfter.isZero() ? Long.MAX_VALUE : b.autoResolveAfter.toMillis();
        this.book = new AlertBook(clock, autoResolveMillis, b.historyLimit, silences, hub, store);
        this.engine = new RuleEngine(replayRuleEdits(b.rules, store.ruleEdits(), schema), book);
        restoreAlerts(b.historyLimit);
        this.sweeper = new Sweeper(clock, b.sweepInterval, this::sweep, () -> closed, b.tickInterval, threads);
    }

    /** The builder's rules with the stored run-time edits applied in order: removed ones out, added ones in. */
    private static List<AlertRule> replayRuleEdits(Map<String, AlertRule> built, List<RuleEdit> edits,
                                                   SensorSchema schema) {
        Map<String, AlertRule> rules = new LinkedHashMap<>(built);
        for (RuleEdit edit : edits) {
            rules.remove(edit.name());
            if (!edit.removed()) {
                try {
                    rules.put(edit.name(), edit.added().toRule(schema));
                } catch (IllegalArgumentException e) {
                    LOG.warn("stored rule '{}' does not fit schema '{}' and was not added: {}", edit.name(),
                            schema.name(), e.getMessage());
                }
            }
        }
        return List.copyOf(rules.values());
    }

    /** Reloads the open alerts and the newest history, oldest first, so ids and cooldowns line up. */
    private void restoreAlerts(int historyLimit) {
        TreeMap<Long, StoredAlert> byId = new TreeMap<>();
        for (StoredAlert a : store.history(AlertQuery.builder().limit(Math.min(historyLimit, AlertQuery.MAX_LIMIT)).build())) {
            byId.put(a.id(), a);
        }
        for (StoredAlert a : store.open()) {
            byId.put(a.id(), a);
        }
        for (StoredAlert a : byId.values()) {
            book.restore(engine.restore(a));
        }
        if (!byId.isEmpty()) {
            LOG.debug("reloaded {} alerts from {}", byId.size(), store.description());
        }
    }

    void start() {
        hub.start();
        sweeper.start();
    }

    /** @return a builder with the defaults documented on its setters */
    public static AlertManagerBuilder builder() {
        return new AlertManagerBuilder();
    }

    // ---------------------------------------------------------------- ingest

    /**
     * Evaluates every reading rule on {@code reading}. Returns quickly: notifications are queued for
     * the notifier threads. A rule that throws is skipped for this reading, logged once and counted.
     *
     * <p>A reading older than the newest this manager has seen of its device (late), or equal to that
     * newest one (delivered twice), is counted in {@link AlertStats#lateReadings()} and evaluated by
     * no rule: it neither
     * raises, updates nor clears an alert, does not feed a sustained duration, an n-in-window count
     * or a rolling baseline, and does not count as the device being alive for {@code noDataFor}
     * rules. Alerts describe the device's present, and this keeps them independent of redeliveries;
     * a pipeline with {@code allowedLateness} puts a bounded disorder back in order before it gets
     * here. A device whose clock jumps back is therefore ignored until it passes its newest reading
     * again, which a {@code noDataFor} rule reports. A reading with the newest timestamp but other
     * values is a correction: it is evaluated (the last write wins, as in storage), and an
     * n-in-window count counts its timestamp once.
     *
     * @param reading a reading
     * @throws IllegalStateException after {@link #close()}
     */
    public void process(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        requireOpen();
        long now = clock.millis();
        engine.process(reading, now);
        sweeper.maybeSweep(now);
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
        long now = clock.millis();
        if (engine.process(prediction, now)) {
            sweeper.maybeSweep(now);
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
        sweeper.sweep(clock.millis());
    }

    /** One sweep (run by {@link Sweeper}, one at a time): open alerts' timers, silent devices, ended silences. */
    private void sweep(long now) {
        book.sweep(now);
        engine.sweepNoData(now);
        silences.expire(now);
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
        return book.acknowledge(id, by);
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
        return book.resolveByHand(id, by);
    }

    /**
     * @param id alert id
     * @return the alert, if it is open or still in the history
     */
    public Optional<Alert> get(long id) {
        return book.get(id);
    }

    /**
     * @return every open (ACTIVE or ACKNOWLEDGED) alert, most urgent first, then newest first. Each
     *         alert is a consistent snapshot; the list is weakly consistent, like a concurrent map's
     *         view: an alert raised while it is being built may be missing.
     */
    public List<Alert> active() {
        return book.active();
    }

    /**
     * Queries the history (the newest {@link AlertManagerBuilder#historyLimit(int)} alerts, open or not).
     *
     * @param query the filter
     * @return matching alerts, newest first
     */
    public List<Alert> history(AlertQuery query) {
        return book.history(query);
    }

    // ---------------------------------------------------------------- silences

    /**
     * Mutes notifications matching {@code silence} until its end.
     *
     * @param silence what to mute ({@link Silence#of})
     * @return the stored silence, with its id
     */
    public Silence silence(Silence silence) {
        return silences.add(silence);
    }

    /**
     * @param id a silence id
     * @return whether a silence was removed
     */
    public boolean unsilence(long id) {
        return silences.remove(id);
    }

    /** @return the silences that have not ended yet */
    public List<Silence> silences() {
        return silences.current(clock.instant());
    }

    // ---------------------------------------------------------------- rules and notifiers

    /** @return the rules, in the order they were added */
    public List<AlertRule> rules() {
        return engine.rules();
    }

    /**
     * Adds a rule at run time (the original's {@code add_rule}).
     *
     * @param rule the rule
     * @throws IllegalArgumentException if a rule of that name exists
     */
    public void addRule(AlertRule rule) {
        engine.add(rule);
    }

    /**
     * Adds a threshold rule at run time and stores it, so it comes back after a restart on the same
     * {@link AlertStore} (an {@link AlertRule} added with {@link #addRule(AlertRule)} is code and is not
     * stored). Its alerts carry the channel's value.
     *
     * @param rule the rule's values
     * @return the rule as built on the manager's schema
     * @throws IllegalArgumentException if a rule of that name exists, the channel is not in the schema, or
     *                                  the message template is invalid
     */
    public AlertRule addRule(ThresholdRule rule) {
        Objects.requireNonNull(rule, "rule");
        AlertRule built = rule.toRule(schema);
        engine.add(built);
        try {
            store.saveRuleEdit(new RuleEdit(rule.name(), rule, clock.instant()));
        } catch (RuntimeException e) {
            engine.remove(rule.name());
            throw e;
        }
        return built;
    }

    /**
     * Removes a rule; its open alerts stay open until resolved by hand or by timeout. The removal is
     * stored, so it also holds after a restart on the same {@link AlertStore}, for a rule the manager was
     * built with too.
     *
     * @param name rule name
     * @return whether a rule was removed
     */
    public boolean removeRule(String name) {
        if (engine.rules().stream().noneMatch(r -> r.name().equals(name))) {
            return false;
        }
        store.saveRuleEdit(new RuleEdit(name, null, clock.instant()));
        return engine.remove(name);
    }

    /**
     * Retention of the alert history: deletes RESOLVED alerts resolved before {@code cutoff} from the store
     * and from the in-memory history. Open alerts stay; deleted alerts' ids are never reused.
     *
     * @param cutoff the oldest resolution time to keep
     * @return how many alerts the store deleted
     */
    public long deleteHistoryBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return book.deleteHistoryBefore(cutoff);
    }

    /** @return the store this manager keeps its alerts in ({@link AlertStore#inMemory()} unless one was given) */
    public AlertStore store() {
        return store;
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
        hub.addCallback(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * The configured notifiers (not callbacks), for settings screens: each one's name, kind and
     * secret-free details ({@link Notifier#kind()}, {@link Notifier#details()}) with its delivery counters.
     *
     * @return the notifiers in registration order
     */
    public List<NotifierInfo> notifiers() {
        return hub.notifiers();
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
        return hub.sendTest(notifier, timeout, clock.instant());
    }

    /** @return counters since the manager was built */
    public AlertStats stats() {
        List<AlertStats.NotifierStats> ns = hub.stats();
        RuleEngine.DeviceTotals devices = engine.deviceTotals();
        return new AlertStats(devices.readings(), engine.predictions(), book.fired(), devices.updated(),
                book.resolved(), book.escalated(), book.suppressed(), engine.ruleErrors(),
                book.storeErrors(), ns, book.firedByPriority(), book.resolvedByPriority(), devices.late());
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
        sweeper.close();
        book.flush();
        hub.close(closeTimeoutMillis);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("alert manager is closed");
        }
    }
}
