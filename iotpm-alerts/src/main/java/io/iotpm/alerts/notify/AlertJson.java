package io.iotpm.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.AlertRule;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON views of alerts with the original system's snake_case names, shared by the webhook notifier
 * and the REST API: {@code {"event": "FIRED", "at": "...", "alert": {"id": 7, "rule": "overheat",
 * "device_id": "PUMP_001", "priority": "HIGH", ...}}}. Instants are ISO-8601 strings, absent values
 * {@code null}, a NaN value {@code null}.
 */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    /** @return the alert as an ordered map of JSON values */
    public static Map<String, Object> toMap(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("rule", a.rule());
        m.put("type", a.type().name());
        m.put("priority", a.priority().name());
        m.put("device_id", a.deviceId());
        m.put("channel", a.channel());
        m.put("message", a.message());
        m.put("state", a.state().name());
        m.put("first_seen", str(a.firstSeen()));
        m.put("last_seen", str(a.lastSeen()));
        m.put("count", a.count());
        m.put("last_value", Double.isFinite(a.lastValue()) ? a.lastValue() : null);
        m.put("acknowledged_by", a.acknowledgedBy());
        m.put("acknowledged_at", str(a.acknowledgedAt()));
        m.put("resolved_by", a.resolvedBy());
        m.put("resolved_at", str(a.resolvedAt()));
        m.put("resolution", a.resolution() == null ? null : a.resolution().name());
        m.put("escalations", a.escalations());
        m.put("notifications", a.notifications());
        return m;
    }

    /**
     * A rule as JSON values: {@code name}, {@code type}, {@code priority}, {@code trigger}
     * ({@code reading}, {@code prediction}, {@code no_data}), {@code condition}, {@code clear_condition},
     * {@code channel}, {@code message}, {@code cooldown_seconds}, {@code escalate_after_seconds},
     * {@code renotify_every_seconds}.
     *
     * @param r the rule
     * @return an ordered map
     */
    public static Map<String, Object> toMap(AlertRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("type", r.type().name());
        m.put("priority", r.priority().name());
        m.put("trigger", r.trigger());
        m.put("condition", r.condition());
        m.put("clear_condition", r.clearCondition());
        m.put("channel", r.channel());
        m.put("message", r.message());
        m.put("cooldown_seconds", r.cooldown().toSeconds());
        m.put("escalate_after_seconds", r.escalateAfter() == null ? null : r.escalateAfter().toSeconds());
        m.put("renotify_every_seconds", r.renotifyEvery() == null ? null : r.renotifyEvery().toSeconds());
        return m;
    }

    /** @return {@code {"event", "at", "alert"}} as a JSON string */
    public static String toJson(AlertNotification n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", n.event().name());
        m.put("at", n.at().toString());
        m.put("alert", toMap(n.alert()));
        return write(m);
    }

    /** @return the alert as a JSON object string */
    public static String toJson(Alert a) {
        return write(toMap(a));
    }

    private static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
