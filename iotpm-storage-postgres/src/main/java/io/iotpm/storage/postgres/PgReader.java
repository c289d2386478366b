package io.iotpm.storage.postgres;

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
 * The read queries. {@code latest} and {@code range} walk the primary key (device, ts) of the
 * partitions the time bounds select; device lists and counts come from the device table, never
 * from a scan of the readings.
 */
final class PgReader {

    private final String location;
    private final SensorSchema schema;
    private final String latest;
    private final String range;

    PgReader(String location, SensorSchema schema) {
        this.location = location;
        this.schema = schema;
        StringBuilder cols = new StringBuilder("ts, health");
        for (int i = 0; i < schema.size(); i++) {
            cols.append(", c").append(i);
        }
        this.latest = "SELECT " + cols + " FROM readings WHERE device = ? ORDER BY ts DESC LIMIT ";
        this.range = "SELECT " + cols + " FROM readings WHERE device = ? AND ts >= ? AND ts < ? ORDER BY ts";
    }

    List<SensorReading> latest(Connection c, String device, int n) throws SQLException {
        // The limit is written into the text, not bound: with "LIMIT ?" PostgreSQL cannot cost a generic
        // plan, so it re-plans every call over every partition (measured: half the raw query's speed).
        // One cached statement per distinct n; n is a validated positive int, so nothing is injected.
        try (PreparedStatement ps = c.prepareStatement(latest + n)) {
            ps.setString(1, device);
            return readings(ps, device, n);
        }
    }

    List<SensorReading> range(Connection c, String device, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(range)) {
            ps.setString(1, device);
            ps.setLong(2, from);
            ps.setLong(3, to);
            ps.setFetchSize(10_000);
            return readings(ps, device, 16);
        }
    }

    private List<SensorReading> readings(PreparedStatement ps, String device, int expected) throws SQLException {
        List<SensorReading> out = new ArrayList<>(Math.min(expected, 10_000));
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double[] values = new double[schema.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = number(rs, i + 3);
                }
                out.add(SensorReading.of(device, PgValues.instant(rs.getLong(1)), schema, values, number(rs, 2)));
            }
        }
        return out;
    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    static List<DeviceInfo> devices(Connection c) throws SQLException {
        List<DeviceInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device, last_seen, reading_count FROM devices"
                + " WHERE reading_count > 0 ORDER BY device COLLATE \"C\"");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DeviceInfo(rs.getString(1), PgValues.instant(rs.getLong(2)), rs.getLong(3)));
            }
        }
        return out;
    }

    static long count(Connection c, String device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reading_count FROM devices WHERE device = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static List<DeviceEvent> events(Connection c, String location, String device, long from, long to) throws SQLException {
        List<DeviceEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ts, kind, detail FROM events"
                + " WHERE device = ? AND ts >= ? AND ts < ? ORDER BY ts, id")) {
            ps.setString(1, device);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant t = PgValues.instant(rs.getLong(1));
                    String kind = rs.getString(2);
                    String detail = rs.getString(3);
                    out.add(switch (kind) {
                        case "failure" -> new FailureEvent(device, t, detail);
                        case "maintenance" -> new MaintenanceEvent(device, t, detail);
                        default -> throw new StorageException(location + ": event of " + device + " at " + t
                                + " has unknown kind '" + kind + "'");
                    });
                }
            }
        }
        return out;
    }
}
