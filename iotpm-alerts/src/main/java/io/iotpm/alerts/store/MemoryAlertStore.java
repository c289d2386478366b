package io.iotpm.alerts.store;

import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.Silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link AlertStore#inMemory()}: maps under one lock; the default, and the reference for the contract. */
final class MemoryAlertStore implements AlertStore {

    private final Map<String, Long> sequences = new HashMap<>();
    private final TreeMap<Long, StoredAlert> alerts = new TreeMap<>();
    private final TreeMap<Long, Silence> silences = new TreeMap<>();
    /** Insertion order is edit order: a new edit of a name moves it to the end. */
    private final LinkedHashMap<String, RuleEdit> edits = new LinkedHashMap<>();

    @Override
    public synchronized long reserveIds(String sequence, int count) {
        Sequences.check(sequence, count);
        long first = sequences.getOrDefault(sequence, 1L);
        sequences.put(sequence, first + count);
        return first;
    }

    @Override
    public synchronized void save(StoredAlert alert) {
        alerts.put(alert.id(), alert);
    }

    @Override
    public synchronized Optional<StoredAlert> get(long id) {
        return Optional.ofNullable(alerts.get(id));
    }

    @Override
    public synchronized List<StoredAlert> open() {
        return alerts.values().stream().filter(a -> a.alert().isOpen()).toList();
    }

    @Override
    public synchronized List<StoredAlert> history(AlertQuery query) {
        List<StoredAlert> out = new ArrayList<>();
        for (StoredAlert a : alerts.descendingMap().values()) {
            if (out.size() >= query.limit()) {
                break;
            }
            if (query.matches(a.alert())) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public synchronized long deleteHistoryBefore(Instant cutoff) {
        int before = alerts.size();
        alerts.values().removeIf(a -> !a.alert().isOpen() && a.alert().resolvedAt().isBefore(cutoff));
        return before - alerts.size();
    }

    @Override
    public synchronized void saveSilence(Silence silence) {
        Sequences.checkId(silence.id());
        silences.put(silence.id(), silence);
    }

    @Override
    public synchronized boolean deleteSilence(long id) {
        return silences.remove(id) != null;
    }

    @Override
    public synchronized List<Silence> silences() {
        return List.copyOf(silences.values());
    }

    @Override
    public synchronized void saveRuleEdit(RuleEdit edit) {
        edits.remove(edit.name());
        edits.put(edit.name(), edit);
    }

    @Override
    public synchronized List<RuleEdit> ruleEdits() {
        List<RuleEdit> out = new ArrayList<>(edits.values());
        out.sort(Comparator.comparing(RuleEdit::at));
        return out;
    }

    @Override
    public String description() {
        return "memory:";
    }

    @Override
    public void close() {
        // Nothing to release; the data stays readable, as with the memory storage backend.
    }
}
