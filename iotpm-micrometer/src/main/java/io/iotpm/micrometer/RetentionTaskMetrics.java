package io.iotpm.micrometer;

import io.iotpm.core.retention.RetentionMetrics;
import io.iotpm.core.retention.RetentionTask;
import io.micrometer.core.instrument.Tags;

/**
 * Meters of a {@link RetentionTask}, over its {@link RetentionMetrics}: {@code iotpm.retention.runs},
 * {@code iotpm.retention.failures} and {@code iotpm.retention.removed} (tag {@code target}: one per retained
 * store, e.g. {@code readings}, {@code events}) as counters, and {@code iotpm.retention.last.run} (gauge, epoch
 * seconds, NaN before the first run) so an alert can see a task that stopped running.
 */
public final class RetentionTaskMetrics {

    private RetentionTaskMetrics() {
    }

    /**
     * @param task the task, kept alive by the host; its targets are fixed when it is built, so this binder needs
     *             no refresh
     * @return the binder, not yet bound
     */
    public static SnapshotMeters<RetentionTask, RetentionMetrics> of(RetentionTask task) {
        SnapshotMeters.Builder<RetentionTask, RetentionMetrics> b = SnapshotMeters.of(task, RetentionTask::metrics)
                .counter("iotpm.retention.runs", "retention runs completed", RetentionMetrics::runs)
                .counter("iotpm.retention.failures", "retention target removals that threw", RetentionMetrics::failures)
                .gauge("iotpm.retention.last.run", "clock time of the last retention run (epoch seconds)", "seconds",
                        m -> m.lastRun() == null ? Double.NaN : m.lastRun().getEpochSecond());
        for (String target : task.metrics().removed().keySet()) {
            b.counter("iotpm.retention.removed", Tags.of("target", target), "items removed by retention, per target",
                    m -> m.removed().getOrDefault(target, 0L));
        }
        return b.build();
    }
}
