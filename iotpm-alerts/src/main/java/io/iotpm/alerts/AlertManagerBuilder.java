package io.iotpm.alerts;

import io.iotpm.alerts.store.AlertStore;
import io.iotpm.core.SensorSchema;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Builds an {@link AlertManager} ({@link AlertManager#builder()}); {@link #build()} starts its threads.
 * The builder can be reused: {@code build()} does not change it.
 */
public final class AlertManagerBuilder {
    final Map<String, AlertRule> rules = new LinkedHashMap<>();
    final List<Notifier> notifiers = new ArrayList<>();
    final List<Integer> capacities = new ArrayList<>();
    final List<Consumer<Alert>> callbacks = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    Duration autoResolveAfter = AlertManager.DEFAULT_AUTO_RESOLVE;
    Duration sweepInterval = AlertManager.DEFAULT_SWEEP_INTERVAL;
    Duration tickInterval = AlertManager.DEFAULT_TICK_INTERVAL;
    int queueCapacity = AlertManager.DEFAULT_QUEUE_CAPACITY;
    int maxAttempts = AlertManager.DEFAULT_MAX_ATTEMPTS;
    Duration retryBackoff = AlertManager.DEFAULT_RETRY_BACKOFF;
    int historyLimit = AlertManager.DEFAULT_HISTORY_LIMIT;
    Duration closeTimeout = Duration.ofSeconds(5);
    ThreadFactory threadFactory;
    AlertStore store;
    SensorSchema schema = SensorSchema.industrialMotor();

    AlertManagerBuilder() {
    }

    /**
     * @param rule a rule
     * @throws IllegalArgumentException if a rule of the same name was added
     */
    public AlertManagerBuilder rule(AlertRule rule) {
        Objects.requireNonNull(rule, "rule");
        if (rules.putIfAbsent(rule.name(), rule) != null) {
            throw new IllegalArgumentException("a rule named '" + rule.name() + "' was added already");
        }
        return this;
    }

    /** @param rules rules, e.g. {@code AlertRules.defaults(schema)}; see {@link #rule(AlertRule)} */
    public AlertManagerBuilder rules(Collection<AlertRule> rules) {
        for (AlertRule r : rules) {
            rule(r);
        }
        return this;
    }

    /** @param notifier gets every notification it {@link Notifier#accepts accepts}, on its own thread */
    public AlertManagerBuilder notifier(Notifier notifier) {
        notifiers.add(Objects.requireNonNull(notifier, "notifier"));
        capacities.add(0);
        return this;
    }

    /**
     * @param notifier      see {@link #notifier(Notifier)}
     * @param queueCapacity this notifier's queue size, {@code >= 1}, instead of {@link #queueCapacity(int)}
     */
    public AlertManagerBuilder notifier(Notifier notifier, int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, but was " + queueCapacity);
        }
        notifiers.add(Objects.requireNonNull(notifier, "notifier"));
        capacities.add(queueCapacity);
        return this;
    }

    /** @param callback gets raised alerts on its own thread; see {@link AlertManager#addCallback} */
    public AlertManagerBuilder callback(Consumer<Alert> callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /** @param clock time for cooldowns, escalation, auto-resolve and no-data; default system UTC */
    public AlertManagerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** @param timeout resolve open alerts after this long without a match; {@code ZERO} never; default 1 h */
    public AlertManagerBuilder autoResolveAfter(Duration timeout) {
        this.autoResolveAfter = nonNegative(timeout, "autoResolveAfter");
        return this;
    }

    /** @param interval run the sweep from {@code process} at most this often (clock time), {@code >= 0}; default 1 s */
    public AlertManagerBuilder sweepInterval(Duration interval) {
        this.sweepInterval = nonNegative(interval, "sweepInterval");
        return this;
    }

    /**
     * @param interval how often a background thread runs the sweep, needed to notice "no data" when
     *                 no reading arrives at all; {@code ZERO} starts no thread; default 5 s
     */
    public AlertManagerBuilder tickInterval(Duration interval) {
        this.tickInterval = nonNegative(interval, "tickInterval");
        return this;
    }

    /** @param capacity queued notifications per notifier before new ones are dropped, {@code >= 1}; default 1024 */
    public AlertManagerBuilder queueCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, but was " + capacity);
        }
        this.queueCapacity = capacity;
        return this;
    }

    /** @param attempts tries per notification, 1 to 20; default 3 */
    public AlertManagerBuilder maxAttempts(int attempts) {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 20], but was " + attempts);
        }
        this.maxAttempts = attempts;
        return this;
    }

    /** @param backoff wait after the first failure, doubled after each further one, {@code >= 0}; default 1 s */
    public AlertManagerBuilder retryBackoff(Duration backoff) {
        this.retryBackoff = nonNegative(backoff, "retryBackoff");
        return this;
    }

    /** @param limit alerts kept for {@link AlertManager#history}, {@code >= 1}; default 10,000 */
    public AlertManagerBuilder historyLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("historyLimit must be >= 1, but was " + limit);
        }
        this.historyLimit = limit;
        return this;
    }

    /** @param timeout how long {@code close()} lets queued notifications go out, {@code >= 0}; default 5 s */
    public AlertManagerBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = nonNegative(timeout, "closeTimeout");
        return this;
    }

    /** @param factory creates the notifier and ticker threads (the manager names them); default plain threads */
    public AlertManagerBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Makes the manager durable: it writes alerts, silences and run-time rule edits to the store and,
     * when built, reloads them. Open alerts take their (rule, device) slot again (a new match updates
     * them, nobody is notified twice), acknowledgements keep their who and when, silences hold, rule
     * edits are replayed over the rules given to this builder, cooldowns continue, and new alert ids
     * never repeat old ones. The manager does not close the store.
     *
     * @param store where to keep alerts; default {@link AlertStore#inMemory()}, a fresh one per manager
     */
    public AlertManagerBuilder store(AlertStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * @param schema the schema whose channels stored {@link ThresholdRule}s and
     *               {@link AlertManager#addRule(ThresholdRule)} rules name; default
     *               {@link SensorSchema#industrialMotor()}
     */
    public AlertManagerBuilder schema(SensorSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /** @return a running manager; close it to stop its threads */
    public AlertManager build() {
        AlertManager m = new AlertManager(this);
        m.start();
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
