package io.iotpm.alerts.rules;

import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.core.drift.DriftMonitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The default input-drift rules, fed by a {@link DriftMonitor}: per channel {@code c} of its reference,
 * {@code drift.c} (MEDIUM, CUSTOM) fires on a reading of a device whose group's {@code c} has a PSI
 * above the monitor's threshold over a full enough window, and clears on the first reading after it
 * fell back. Drift is a property of the group, so every device of a drifting group carries the
 * alert (deduplicated and cooled down per device as usual); group devices finely if that is too many.
 *
 * <p>The monitor must see each reading before the manager does (list it first among a pipeline's
 * listeners); otherwise the alert follows one reading later, which does not matter for a window of
 * hundreds.
 */
public final class DriftRules {

    /** Prefix of the rule names: {@code drift.temperature}. */
    public static final String PREFIX = "drift.";

    private DriftRules() {
    }

    /**
     * @param monitor the drift monitor the pipeline feeds
     * @return one rule per channel of the monitor's reference
     */
    public static List<AlertRule> of(DriftMonitor monitor) {
        Objects.requireNonNull(monitor, "monitor");
        String threshold = String.format(Locale.ROOT, "%.2f", monitor.threshold());
        List<AlertRule> rules = new ArrayList<>();
        for (String channel : monitor.reference().channels()) {
            rules.add(AlertRule.named(PREFIX + channel)
                    .when(Condition.of(r -> monitor.drifting(r.deviceId(), channel)))
                    .clearWhenFalse()
                    .channel(channel)
                    .type(AlertType.CUSTOM)
                    .priority(Priority.MEDIUM)
                    .message("{device_id}: input drift on {channel}: the live readings of its group no longer look"
                            + " like the model's training data (PSI above " + threshold + "); predictions may be"
                            + " unreliable, retrain or check the sensors")
                    .build());
        }
        return rules;
    }
}
