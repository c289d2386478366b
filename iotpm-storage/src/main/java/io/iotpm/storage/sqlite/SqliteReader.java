package io.iotpm.storage.sqlite;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pooled read connection with its queries, each prepared on first use; used by one thread at a
 * time (see {@link ReaderPool}).
 */
final class SqliteReader {

    final Connection c;
    private final String location;
    private PreparedStatement latest;
    private PreparedStatement range;
    private PreparedStatement devices;
    private PreparedStatement count;
    private PreparedStatement events;

    /**
     * @param c        a query-only connection
     * @param location the store's location, which starts every message
     */
    SqliteReader(Connection c, String location) {
        this.c = c;
        this.location = location;
    }

    private PreparedStatement readings(boolean latestQuery, String[] cols) throws SQLException {
        if (latest == null) {
            String select = "SELECT _ts, _health, " + String.join(", ", cols) + " FROM readings WHERE _device = ?";
            // Both orders are the primary key's, so SQLite walks the table without sorting.
            latest = c.prepareStatement(select + " ORDER BY _ts DESC LIMIT ?");
            range = c.prepareStatement(select + " AND _ts >= ? AND _ts < ? ORDER BY _ts");
        }
        return latestQuery ? latest : range;
    }

    private SensorReading row(ResultSet rs, String deviceId, SensorSchema s) throws SQLException {
        long ts = rs.getLong(1);
        double health = rs.getDouble(2);
        if (rs.wasNull()) {
            health = Double.NaN;
        }
        double[] values = new double[s.size()];
        for (int i = 0; i < values.length; i++) {
            double v = rs.getDouble(3 + i);
            values[i] = rs.wasNull() ? Double.NaN : v;
        }
        try {
            return SensorReading.of(deviceId, SqliteValues.instant(ts), s, values, health);
        } catch (IllegalArgumentException e) {
            throw new StorageException(location + ": stored row of device '" + deviceId + "' at "
                    + SqliteValues.instant(ts) + " is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * A device's newest readings (newest first) or a time range (in time order).
     *
     * @param latest whether {@code a} is a count of newest readings, else {@code [a, b)} in epoch nanoseconds
     * @param s      the store's schema, or {@code null} before the first reading
     * @param cols   the quoted channel columns, or {@code null} before the readings table is committed
     */
    List<SensorReading> readings(boolean latest, String deviceId, long a, long b, SensorSchema s, String[] cols)
            throws SQLException {
        if (s == null || cols == null) {
            return List.of();
        }
        PreparedStatement ps = readings(latest, cols);
        ps.setString(1, deviceId);
        if (latest) {
            ps.setLong(2, a);
        } else {
            ps.setLong(2, a);
            ps.setLong(3, b);
        }
        List<SensorReading> out = new ArrayList<>(latest ? (int) Math.min(a, 1024) : 16);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs, deviceId, s));
            }
        }
        return out;
    }

    /** @return the devices with readings, by id */
    List<DeviceInfo> devices() throws SQLException {
        if (devices == null) {
            devices = c.prepareStatement("SELECT device_id, last_seen, reading_count FROM devices"
                    + " WHERE reading_count > 0 ORDER BY device_id");
        }
        List<DeviceInfo> out = new ArrayList<>();
        try (ResultSet rs = devices.executeQuery()) {
            while (rs.next()) {
                out.add(new DeviceInfo(rs.getString(1), SqliteValues.instant(rs.getLong(2)), rs.getLong(3)));
            }
        }
        return out;
    }

    /** @return a device's reading count, from the device table */
    long count(String deviceId) throws SQLException {
        if (count == null) {
            count = c.prepareStatement("SELECT reading_count FROM devices WHERE device_id = ?");
        }
        count.setString(1, deviceId);
        try (ResultSet rs = count.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** @return a device's events in {@code [a, b)} epoch nanoseconds, in time order (ties in append order) */
    List<DeviceEvent> events(String deviceId, long a, long b) throws SQLException {
        if (events == null) {
            events = c.prepareStatement("SELECT _ts, kind, detail FROM events WHERE _device = ?"
                    + " AND _ts >= ? AND _ts < ? ORDER BY _ts, rowid");
        }
        events.setString(1, deviceId);
        events.setLong(2, a);
        events.setLong(3, b);
        List<DeviceEvent> out = new ArrayList<>();
        try (ResultSet rs = events.executeQuery()) {
            while (rs.next()) {
                out.add(event(deviceId, SqliteValues.instant(rs.getLong(1)), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    private DeviceEvent event(String deviceId, Instant t, String kind, String detail) {
        return switch (kind) {
            case "failure" -> new FailureEvent(deviceId, t, detail);
            case "maintenance" -> new MaintenanceEvent(deviceId, t, detail);
            default -> throw new StorageException(location + ": stored event of device '" + deviceId + "' at " + t
                    + " has unknown kind '" + kind + "'");
        };
    }
}
