package io.iotpm.alerts.store;

import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.Silence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@link io.iotpm.alerts.AlertManager} keeps what must survive a restart: every alert with
 * its life cycle (who acknowledged or resolved it, when), the silences, the rule edits made at run
 * time, and the id sequences, so an id is never handed out twice, not even after a restart or after
 * retention deleted the alert that had it.
 *
 * <p>The manager writes an alert's life-cycle changes (raised, acknowledged, resolved, escalated,
 * notified) through {@link #save(StoredAlert)} before it queues the notification, and the match
 * counters ({@code count}, {@code last_seen}, {@code last_value}) in its sweep. Implementations must
 * make a returned {@code save} durable against a crash of the JVM; they are called from several
 * threads at once and must be thread-safe. Every method may throw an unchecked exception when the
 * store is unreachable; the manager then keeps the change in memory and writes it again later.
 *
 * <p>The manager does not close the store: whoever opened it does, after closing the manager.
 * Methods with default bodies may be added in later versions.
 */
public interface AlertStore extends AutoCloseable {

    /** Name of the sequence alert ids come from. */
    String ALERT_IDS = "alert";
    /** Name of the sequence silence ids come from. */
    String SILENCE_IDS = "silence";

    /** @return a new store that keeps everything in this JVM's memory (nothing survives a restart) */
    static AlertStore inMemory() {
        return new MemoryAlertStore();
    }

    /**
     * Reserves {@code count} consecutive ids of a named sequence, durably: no later call, in this
     * process or after a restart, returns any of them again. Sequences start at 1.
     *
     * @param sequence a sequence name, {@code [a-z_]{1,32}} (e.g. {@link #ALERT_IDS})
     * @param count    how many ids, {@code >= 1}
     * @return the first reserved id; the ids are {@code first .. first + count - 1}
     * @throws IllegalArgumentException on a bad name or count
     */
    long reserveIds(String sequence, int count);

    /**
     * Inserts or replaces the alert with that id.
     *
     * @param alert the alert and the manager's bookkeeping for it
     */
    void save(StoredAlert alert);

    /**
     * @param id an alert id
     * @return the stored alert with that id
     */
    Optional<StoredAlert> get(long id);

    /** @return every stored alert that is still open (ACTIVE or ACKNOWLEDGED), by increasing id */
    List<StoredAlert> open();

    /**
     * @param query a filter (device, rule, minimum priority, states, first-seen range, limit)
     * @return the matching alerts, newest (highest id) first, at most {@code query.limit()}
     */
    List<StoredAlert> history(AlertQuery query);

    /**
     * Deletes the history older than {@code cutoff}: RESOLVED alerts resolved before it. Open alerts
     * are never deleted, and their ids are never reused (see {@link #reserveIds}).
     *
     * @param cutoff the oldest resolution time to keep
     * @return how many alerts were deleted
     */
    long deleteHistoryBefore(Instant cutoff);

    /**
     * Inserts or replaces a silence (with the id the manager gave it).
     *
     * @param silence a silence with a positive id
     */
    void saveSilence(Silence silence);

    /**
     * @param id a silence id
     * @return whether a silence was deleted
     */
    boolean deleteSilence(long id);

    /** @return every stored silence, by increasing id (ended ones too, until deleted) */
    List<Silence> silences();

    /**
     * Records the latest run-time edit of a rule, replacing the previous edit of the same name.
     *
     * @param edit the edit
     */
    void saveRuleEdit(RuleEdit edit);

    /** @return the latest edit of every edited rule, oldest edit first */
    List<RuleEdit> ruleEdits();

    /** @return one line for logs and {@code GET /api/storage}, without credentials, e.g. {@code sqlite:/var/iot/iot.alerts.db} */
    default String description() {
        return getClass().getSimpleName();
    }

    /** Releases connections and files; idempotent. */
    @Override
    void close();
}
