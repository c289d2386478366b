package io.iotpm.test.alerts;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.Resolution;
import io.iotpm.alerts.Silence;
import io.iotpm.alerts.Suppression;
import io.iotpm.alerts.ThresholdRule;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.RuleEdit;
import io.iotpm.alerts.store.StoredAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link AlertStore} shares: id sequences that never repeat (also across a
 * reopen), alerts that round-trip every field, open alerts and filtered history, retention that keeps
 * open alerts, silences and rule edits. A store's test class extends it:
 *
 * <pre>{@code
 * class SqliteAlertStoreTest extends AlertStoreContract {
 *     protected AlertStore open(Path dir) {
 *         return JdbcAlertStore.sqlite(dir.resolve("alerts.db"));
 *     }
 * }
 * }</pre>
 * A store that keeps nothing across {@code close()} overrides {@link #persistent()}.
 */
public abstract class AlertStoreContract {

    /** 2026-01-01T00:00:00Z, the start of every test's time line. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A fresh directory per test; persistent stores keep their files under it. */
    @TempDir
    protected Path dir;

    private final List<AlertStore> opened = Collections.synchronizedList(new ArrayList<>());

    /**
     * Opens the store under test. Called again with the same directory it must reopen the same store
     * (for persistent stores).
     *
     * @param dir a directory owned by the test
     * @return an open store
     */
    protected abstract AlertStore open(Path dir);

    /** @return whether data survives {@code close()} and a new {@link #open(Path)} (false for memory) */
    protected boolean persistent() {
        return true;
    }

    /** Opens and remembers the store, so it is closed even when a test fails. */
    protected final AlertStore store() {
        AlertStore s = open(dir);
        opened.add(s);
        return s;
    }

    /** Closes and reopens, as an application restart would. */
    protected final AlertStore reopen(AlertStore s) {
        s.close();
        return store();
    }

    @AfterEach
    void closeAll() {
        for (AlertStore s : opened) {
            s.close();
        }
    }

    /** An open alert with every optional field empty. */
    protected static StoredAlert active(long id, String device, String rule, Priority priority, Instant firstSeen) {
        Alert a = new Alert(id, rule, AlertType.THRESHOLD, priority, device, "temperature", rule + " on " + device,
                AlertState.ACTIVE, firstSeen, firstSeen, 1, 90.5, null, null, null, null, null, 0, 1, null);
        return new StoredAlert(a, firstSeen, firstSeen);
    }

    /** {@code s} resolved by {@code by} at {@code at}. */
    protected static StoredAlert resolved(StoredAlert s, String by, Instant at) {
        Alert a = s.alert();
        return new StoredAlert(new Alert(a.id(), a.rule(), a.type(), a.priority(), a.deviceId(), a.channel(), a.message(),
                AlertState.RESOLVED, a.firstSeen(), a.lastSeen(), a.count(), a.lastValue(), a.acknowledgedBy(),
                a.acknowledgedAt(), by, at, Resolution.MANUAL, a.escalations(), a.notifications(), a.suppressed()),
                s.lastNotified(), s.lastEscalation());
    }

    // ---------------------------------------------------------------- ids

    @Test
    void reserveIds_startsAtOneAndNeverHandsOutAnIdTwice() {
        AlertStore s = store();
        assertThat(s.reserveIds(AlertStore.ALERT_IDS, 32)).isEqualTo(1);
        assertThat(s.reserveIds(AlertStore.ALERT_IDS, 1)).isEqualTo(33);
        assertThat(s.reserveIds(AlertStore.ALERT_IDS, 5)).isEqualTo(34);
        assertThat(s.reserveIds(AlertStore.SILENCE_IDS, 1)).as("sequences are independent").isEqualTo(1);
    }

    @Test
    void reserveIds_rejectsABadNameOrCount() {
        AlertStore s = store();
        assertThatThrownBy(() -> s.reserveIds("Alert; DROP", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Alert; DROP");
        assertThatThrownBy(() -> s.reserveIds(AlertStore.ALERT_IDS, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 0");
    }

    @Test
    void reserveIds_fromManyThreads_givesDisjointBlocks() throws Exception {
        AlertStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    List<Long> firsts = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        firsts.add(s.reserveIds(AlertStore.ALERT_IDS, 3));
                    }
                    return firsts;
                });
            }
            Set<Long> ids = new HashSet<>();
            for (Future<List<Long>> f : pool.invokeAll(tasks)) {
                for (long first : f.get()) {
                    for (long id = first; id < first + 3; id++) {
                        assertThat(ids.add(id)).as("id %d handed out twice", id).isTrue();
                    }
                }
            }
            assertThat(ids).hasSize(600);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reserveIds_continueAfterReopen_evenWhenEveryAlertWasDeleted() {
        assumeTrue(persistent(), "store is not persistent");
        AlertStore s = store();
        long first = s.reserveIds(AlertStore.ALERT_IDS, 10);
        s.save(resolved(active(first, "PUMP_001", "hot", Priority.HIGH, T0), "ann", T0));
        assertThat(s.deleteHistoryBefore(T0.plusSeconds(1))).isEqualTo(1);
        AlertStore again = reopen(s);
        assertThat(again.reserveIds(AlertStore.ALERT_IDS, 1)).isEqualTo(first + 10);
    }

    // ---------------------------------------------------------------- alerts

    @Test
    void save_roundTripsEveryField() {
        AlertStore s = store();
        Alert a = new Alert(7, "limit.temperature", AlertType.OUT_OF_RANGE, Priority.CRITICAL, "PUMP_007", "temperature",
                "PUMP_007: température = 106.5 °C beyond 'critical' limits \"[35, 105]\"", AlertState.ACKNOWLEDGED,
                T0, T0.plusMillis(61_234), 17, 106.5, "alice", T0.plusSeconds(90), null, null, null, 2, 3,
                Suppression.INHIBITED);
        StoredAlert stored = new StoredAlert(a, T0.plusSeconds(30), T0.plusSeconds(45));
        s.save(stored);
        assertThat(s.get(7)).contains(stored);

        Alert noValue = new Alert(8, "no_data", AlertType.NO_DATA, Priority.LOW, "PUMP_008", null, "quiet",
                AlertState.RESOLVED, T0, T0, 1, Double.NaN, null, null, "rule", T0.plusSeconds(5), Resolution.CLEARED,
                0, 0, Suppression.SILENCED);
        StoredAlert never = new StoredAlert(noValue, null, T0);
        s.save(never);
        StoredAlert back = s.get(8).orElseThrow();
        assertThat(back.alert().lastValue()).isNaN();
        assertThat(back).isEqualTo(never);
        assertThat(s.get(9)).isEmpty();
    }

    @Test
    void save_replacesTheAlertWithTheSameId() {
        AlertStore s = store();
        StoredAlert a = active(1, "PUMP_001", "hot", Priority.HIGH, T0);
        s.save(a);
        StoredAlert r = resolved(a, "bob", T0.plusSeconds(60));
        s.save(r);
        assertThat(s.get(1)).contains(r);
        assertThat(s.open()).isEmpty();
        assertThat(s.history(AlertQuery.all())).containsExactly(r);
    }

    @Test
    void open_returnsActiveAndAcknowledgedAlerts_byIncreasingId() {
        AlertStore s = store();
        StoredAlert a3 = active(3, "PUMP_003", "hot", Priority.HIGH, T0);
        StoredAlert a1 = active(1, "PUMP_001", "hot", Priority.HIGH, T0);
        StoredAlert a2 = resolved(active(2, "PUMP_002", "hot", Priority.HIGH, T0), "rule", T0.plusSeconds(1));
        s.save(a3);
        s.save(a1);
        s.save(a2);
        assertThat(s.open()).containsExactly(a1, a3);
    }

    @Test
    void history_filtersByEveryCriterion_newestFirst_upToTheLimit() {
        AlertStore s = store();
        StoredAlert a1 = active(1, "PUMP_001", "hot", Priority.LOW, T0);
        StoredAlert a2 = active(2, "PUMP_002", "hot", Priority.HIGH, T0.plusSeconds(60));
        StoredAlert a3 = resolved(active(3, "PUMP_001", "cold", Priority.CRITICAL, T0.plusSeconds(120)), "x",
                T0.plusSeconds(130));
        StoredAlert a4 = active(4, "PUMP_001", "hot", Priority.MEDIUM, T0.plusSeconds(180));
        for (StoredAlert a : List.of(a1, a2, a3, a4)) {
            s.save(a);
        }
        assertThat(s.history(AlertQuery.all())).containsExactly(a4, a3, a2, a1);
        assertThat(s.history(AlertQuery.builder().limit(2).build())).containsExactly(a4, a3);
        assertThat(s.history(AlertQuery.builder().device("PUMP_001").build())).containsExactly(a4, a3, a1);
        assertThat(s.history(AlertQuery.builder().rule("hot").build())).containsExactly(a4, a2, a1);
        assertThat(s.history(AlertQuery.builder().minPriority(Priority.HIGH).build())).containsExactly(a3, a2);
        assertThat(s.history(AlertQuery.builder().states(AlertState.RESOLVED).build())).containsExactly(a3);
        assertThat(s.history(AlertQuery.builder().between(T0.plusSeconds(60), T0.plusSeconds(180)).build()))
                .as("from inclusive, to exclusive").containsExactly(a3, a2);
        assertThat(s.history(AlertQuery.builder().device("PUMP_001").rule("hot").minPriority(Priority.MEDIUM)
                .states(AlertState.ACTIVE).build())).containsExactly(a4);
    }

    @Test
    void deleteHistoryBefore_deletesOnlyAlertsResolvedBeforeTheCutoff() {
        AlertStore s = store();
        StoredAlert old = resolved(active(1, "PUMP_001", "hot", Priority.HIGH, T0), "a", T0.plusSeconds(10));
        StoredAlert recent = resolved(active(2, "PUMP_001", "hot", Priority.HIGH, T0), "a", T0.plusSeconds(100));
        StoredAlert stillOpen = active(3, "PUMP_001", "cold", Priority.HIGH, T0);
        for (StoredAlert a : List.of(old, recent, stillOpen)) {
            s.save(a);
        }
        assertThat(s.deleteHistoryBefore(T0.plusSeconds(100))).isEqualTo(1);
        assertThat(s.history(AlertQuery.all())).containsExactly(stillOpen, recent);
        assertThat(s.deleteHistoryBefore(T0.plusSeconds(100))).isZero();
    }

    // ---------------------------------------------------------------- silences and rule edits

    @Test
    void silences_roundTrip_andDeleteSaysWhetherOneWasThere() {
        AlertStore s = store();
        Silence both = new Silence(1, "hot", "PUMP_001", T0.plusSeconds(3600), "bob", "maintenance, 'bay 3'");
        Silence device = new Silence(2, null, "PUMP_002", T0.plusSeconds(60), "carl", "");
        Silence rule = new Silence(3, "cold", null, T0.plusSeconds(60), "dee", "ça");
        s.saveSilence(rule);
        s.saveSilence(both);
        s.saveSilence(device);
        assertThat(s.silences()).containsExactly(both, device, rule);
        assertThat(s.deleteSilence(2)).isTrue();
        assertThat(s.deleteSilence(2)).isFalse();
        assertThat(s.silences()).containsExactly(both, rule);
        assertThatThrownBy(() -> s.saveSilence(Silence.of("hot", null, T0, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
    }

    @Test
    void ruleEdits_keepTheLatestEditPerName_oldestEditFirst() {
        AlertStore s = store();
        ThresholdRule high = new ThresholdRule("pressure_high", "pressure", true, 11.0, Priority.HIGH,
                Duration.ofMinutes(5), null);
        ThresholdRule low = new ThresholdRule("rpm_low", "rpm", false, 900.5, Priority.LOW, Duration.ZERO,
                "{device_id}: rpm {value} below 900.5 — check the belt");
        s.saveRuleEdit(new RuleEdit("pressure_high", high, T0));
        s.saveRuleEdit(new RuleEdit("rpm_low", low, T0.plusSeconds(1)));
        s.saveRuleEdit(new RuleEdit("anomaly.noise", null, T0.plusSeconds(2)));
        s.saveRuleEdit(new RuleEdit("pressure_high", null, T0.plusSeconds(3)));
        assertThat(s.ruleEdits()).containsExactly(new RuleEdit("rpm_low", low, T0.plusSeconds(1)),
                new RuleEdit("anomaly.noise", null, T0.plusSeconds(2)),
                new RuleEdit("pressure_high", null, T0.plusSeconds(3)));
    }

    @Test
    void reopen_keepsAlertsSilencesAndRuleEdits() {
        assumeTrue(persistent(), "store is not persistent");
        AlertStore s = store();
        StoredAlert a = active(1, "PUMP_001", "hot", Priority.HIGH, T0);
        Silence silence = new Silence(1, "hot", null, T0.plusSeconds(3600), "bob", "");
        RuleEdit edit = new RuleEdit("hot", null, T0);
        s.save(a);
        s.saveSilence(silence);
        s.saveRuleEdit(edit);
        AlertStore again = reopen(s);
        assertThat(again.open()).containsExactly(a);
        assertThat(again.silences()).containsExactly(silence);
        assertThat(again.ruleEdits()).containsExactly(edit);
    }
}
