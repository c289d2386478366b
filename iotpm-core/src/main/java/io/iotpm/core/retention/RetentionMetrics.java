package io.iotpm.core.retention;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a {@link RetentionTask}'s counters.
 *
 * @param runs     runs completed (by the schedule or {@link RetentionTask#runOnce()})
 * @param failures target removals that threw (logged; the other targets of that run still ran)
 * @param removed  per target name, items removed since the task was built (insertion order of the targets)
 * @param lastRun  clock time of the last run, or {@code null} before the first
 */
public record RetentionMetrics(long runs, long failures, Map<String, Long> removed, Instant lastRun) {

    /** @throws NullPointerException if {@code removed} is null */
    public RetentionMetrics {
        removed = Map.copyOf(removed);
    }
}
