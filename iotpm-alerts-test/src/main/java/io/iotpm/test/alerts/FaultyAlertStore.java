package io.iotpm.test.alerts;

import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.Silence;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStoreException;
import io.iotpm.alerts.store.RuleEdit;
import io.iotpm.alerts.store.StoredAlert;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fault injection for tests: a real {@link AlertStore} whose writes (id reservations, saves, deletes,
 * rule edits) throw {@link AlertStoreException} while {@link #failWrites(boolean)} is on, as a
 * database that went away would. Reads always reach the store underneath, so a test can check what
 * was and was not written.
 */
public final class FaultyAlertStore implements AlertStore {

    private final AlertStore inner;
    private volatile boolean failing;

    /** @param inner the store that holds the data */
    public FaultyAlertStore(AlertStore inner) {
        this.inner = inner;
    }

    /** @param fail whether writes fail from now on */
    public void failWrites(boolean fail) {
        this.failing = fail;
    }

    private void write() {
        if (failing) {
            throw new AlertStoreException("alert store " + description() + ": injected write failure", null);
        }
    }

    @Override
    public long reserveIds(String sequence, int count) {
        write();
        return inner.reserveIds(sequence, count);
    }

    @Override
    public void save(StoredAlert alert) {
        write();
        inner.save(alert);
    }

    @Override
    public Optional<StoredAlert> get(long id) {
        return inner.get(id);
    }

    @Override
    public List<StoredAlert> open() {
        return inner.open();
    }

    @Override
    public List<StoredAlert> history(AlertQuery query) {
        return inner.history(query);
    }

    @Override
    public long deleteHistoryBefore(Instant cutoff) {
        write();
        return inner.deleteHistoryBefore(cutoff);
    }

    @Override
    public void saveSilence(Silence silence) {
        write();
        inner.saveSilence(silence);
    }

    @Override
    public boolean deleteSilence(long id) {
        write();
        return inner.deleteSilence(id);
    }

    @Override
    public List<Silence> silences() {
        return inner.silences();
    }

    @Override
    public void saveRuleEdit(RuleEdit edit) {
        write();
        inner.saveRuleEdit(edit);
    }

    @Override
    public List<RuleEdit> ruleEdits() {
        return inner.ruleEdits();
    }

    @Override
    public String description() {
        return "faulty(" + inner.description() + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
