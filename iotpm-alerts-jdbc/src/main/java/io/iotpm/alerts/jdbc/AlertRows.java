package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.Resolution;
import io.iotpm.alerts.Silence;
import io.iotpm.alerts.Suppression;
import io.iotpm.alerts.ThresholdRule;
import io.iotpm.alerts.store.RuleEdit;
import io.iotpm.alerts.store.StoredAlert;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;

/**
 * Values to rows and back. Instants are stored as epoch nanoseconds in a BIGINT, so every instant a
 * JVM clock gives round-trips exactly (years 1678 to 2262) and compares as a number in SQL; NaN values
 * are stored as NULL, since SQLite turns NaN into NULL anyway.
 */
final class AlertRows {

    /** The alert columns in the order {@link #bindAlert} binds them. */
    static final String ALERT_COLUMNS = "id, rule, type, priority, priority_rank, device_id, channel, message, state,"
            + " first_seen, last_seen, match_count, last_value, acknowledged_by, acknowledged_at, resolved_by,"
            + " resolved_at, resolution, escalations, notifications, suppressed, last_notified, last_escalation";
    static final int ALERT_COLUMN_COUNT = 23;

    private AlertRows() {
    }

    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant must be between 1678 and 2262 to be stored, but was " + t, e);
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : instant(v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, nanos(t));
        }
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    static void bindAlert(PreparedStatement ps, StoredAlert s) throws SQLException {
        Alert a = s.alert();
        int i = 1;
        ps.setLong(i++, a.id());
        ps.setString(i++, a.rule());
        ps.setString(i++, a.type().name());
        ps.setString(i++, a.priority().name());
        ps.setInt(i++, a.priority().ordinal());
        ps.setString(i++, a.deviceId());
        ps.setString(i++, a.channel());
        ps.setString(i++, a.message());
        ps.setString(i++, a.state().name());
        setInstant(ps, i++, a.firstSeen());
        setInstant(ps, i++, a.lastSeen());
        ps.setLong(i++, a.count());
        if (Double.isNaN(a.lastValue())) {
            ps.setNull(i++, Types.DOUBLE);
        } else {
            ps.setDouble(i++, a.lastValue());
        }
        ps.setString(i++, a.acknowledgedBy());
        setInstant(ps, i++, a.acknowledgedAt());
        ps.setString(i++, a.resolvedBy());
        setInstant(ps, i++, a.resolvedAt());
        ps.setString(i++, name(a.resolution()));
        ps.setInt(i++, a.escalations());
        ps.setInt(i++, a.notifications());
        ps.setString(i++, name(a.suppressed()));
        setInstant(ps, i++, s.lastNotified());
        setInstant(ps, i, s.lastEscalation());
    }

    static StoredAlert alert(ResultSet rs) throws SQLException {
        double v = rs.getDouble("last_value");
        if (rs.wasNull()) {
            v = Double.NaN;
        }
        String resolution = rs.getString("resolution");
        String suppressed = rs.getString("suppressed");
        Alert a = new Alert(rs.getLong("id"), rs.getString("rule"), AlertType.valueOf(rs.getString("type")),
                Priority.valueOf(rs.getString("priority")), rs.getString("device_id"), rs.getString("channel"),
                rs.getString("message"), AlertState.valueOf(rs.getString("state")), instant(rs.getLong("first_seen")),
                instant(rs.getLong("last_seen")), rs.getLong("match_count"), v, rs.getString("acknowledged_by"),
                instantOrNull(rs, "acknowledged_at"), rs.getString("resolved_by"), instantOrNull(rs, "resolved_at"),
                resolution == null ? null : Resolution.valueOf(resolution), rs.getInt("escalations"),
                rs.getInt("notifications"), suppressed == null ? null : Suppression.valueOf(suppressed));
        return new StoredAlert(a, instantOrNull(rs, "last_notified"), instant(rs.getLong("last_escalation")));
    }

    static void bindSilence(PreparedStatement ps, Silence s) throws SQLException {
        ps.setLong(1, s.id());
        ps.setString(2, s.rule());
        ps.setString(3, s.deviceId());
        ps.setLong(4, nanos(s.until()));
        ps.setString(5, s.createdBy());
        ps.setString(6, s.comment());
    }

    static Silence silence(ResultSet rs) throws SQLException {
        return new Silence(rs.getLong("id"), rs.getString("rule"), rs.getString("device_id"),
                instant(rs.getLong("until_at")), rs.getString("created_by"), rs.getString("comment"));
    }

    /** Binds name, edited_at, then the rule's columns (NULL for a removal) from parameter 3 on. */
    static void bindEdit(PreparedStatement ps, RuleEdit e) throws SQLException {
        ps.setString(1, e.name());
        ps.setLong(2, nanos(e.at()));
        ThresholdRule r = e.added();
        ps.setBoolean(3, r != null);
        ps.setString(4, r == null ? null : r.channel());
        ps.setBoolean(5, r != null && r.above());
        if (r == null) {
            ps.setNull(6, Types.DOUBLE);
            ps.setNull(8, Types.BIGINT);
        } else {
            ps.setDouble(6, r.limit());
            ps.setLong(8, r.cooldown().toNanos());
        }
        ps.setString(7, r == null ? null : r.priority().name());
        ps.setString(9, r == null ? null : r.message());
    }

    static RuleEdit edit(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        ThresholdRule r = null;
        if (rs.getBoolean("added")) {
            r = new ThresholdRule(name, rs.getString("channel"), rs.getBoolean("above"), rs.getDouble("threshold"),
                    Priority.valueOf(rs.getString("priority")), Duration.ofNanos(rs.getLong("cooldown_nanos")),
                    rs.getString("message"));
        }
        return new RuleEdit(name, r, instant(rs.getLong("edited_at")));
    }
}
