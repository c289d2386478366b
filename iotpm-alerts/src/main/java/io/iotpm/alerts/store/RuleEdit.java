package io.iotpm.alerts.store;

import io.iotpm.alerts.ThresholdRule;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest run-time change of one rule: added (with its definition) or removed. On start the
 * manager replays the edits over the rules it was built with, so a rule removed through the API stays
 * removed and a rule added through it comes back.
 *
 * @param name  the rule name
 * @param added the rule's definition when it was added, {@code null} when it was removed
 * @param at    when the edit was made (manager clock)
 */
public record RuleEdit(String name, ThresholdRule added, Instant at) {

    /** @throws IllegalArgumentException if {@code added} has another name */
    public RuleEdit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        if (added != null && !added.name().equals(name)) {
            throw new IllegalArgumentException("edit of rule '" + name + "' carries rule '" + added.name() + "'");
        }
    }

    /** @return whether the rule was removed */
    public boolean removed() {
        return added == null;
    }
}
