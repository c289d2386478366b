package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.Silence;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.RuleEdit;
import io.iotpm.alerts.store.Sequences;
import io.iotpm.alerts.store.StoredAlert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * An {@link AlertStore} in four tables of an SQLite file or a PostgreSQL database:
 * {@code iotpm_alerts} (one row per alert, replaced on every change), {@code iotpm_alert_silences},
 * {@code iotpm_alert_rule_edits} (the latest edit per rule name) and {@code iotpm_alert_sequences}
 * (the next free id per sequence, never decremented, so retention that deletes alerts never lets an id
 * come back). The tables are created when missing; the same SQL runs on both databases.
 *
 * <pre>{@code
 * AlertStore sqlite = JdbcAlertStore.sqlite(Path.of("data/iot.alerts.db"));
 * AlertStore pg = JdbcAlertStore.open("jdbc:postgresql://db:5432/iot", "iot", System.getenv("PGPASSWORD"));
 * AlertStore pooled = JdbcAlertStore.of(hostDataSource);
 * }</pre>
 *
 * <p>Every write is one transaction that has committed when the method returns. On SQLite (WAL,
 * {@code synchronous=NORMAL} by default) a commit survives a crash of the process; with
 * {@code synchronousFull} also a power cut. Thread-safe.
 */
public final class JdbcAlertStore implements AlertStore {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS iotpm_alert_sequences (name VARCHAR(32) PRIMARY KEY, next_id BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS iotpm_alerts (id BIGINT PRIMARY KEY, rule VARCHAR(64) NOT NULL,"
                    + " type VARCHAR(32) NOT NULL, priority VARCHAR(16) NOT NULL, priority_rank INTEGER NOT NULL,"
                    + " device_id VARCHAR(64) NOT NULL, channel VARCHAR(64), message TEXT NOT NULL,"
                    + " state VARCHAR(16) NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,"
                    + " match_count BIGINT NOT NULL, last_value DOUBLE PRECISION, acknowledged_by TEXT,"
                    + " acknowledged_at BIGINT, resolved_by TEXT, resolved_at BIGINT, resolution VARCHAR(16),"
                    + " escalations INTEGER NOT NULL, notifications INTEGER NOT NULL, suppressed VARCHAR(16),"
                    + " last_notified BIGINT, last_escalation BIGINT NOT NULL)",
            // Open alerts are read on every start; resolved ones are deleted by age.
            "CREATE INDEX IF NOT EXISTS iotpm_alerts_state ON iotpm_alerts (state, id)",
            "CREATE INDEX IF NOT EXISTS iotpm_alerts_resolved_at ON iotpm_alerts (resolved_at)",
            "CREATE TABLE IF NOT EXISTS iotpm_alert_silences (id BIGINT PRIMARY KEY, rule VARCHAR(64),"
                    + " device_id VARCHAR(64), until_at BIGINT NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS iotpm_alert_rule_edits (name VARCHAR(64) PRIMARY KEY, edited_at BIGINT NOT NULL,"
                    + " seq BIGINT NOT NULL, added BOOLEAN NOT NULL, channel VARCHAR(64), above BOOLEAN NOT NULL,"
                    + " threshold DOUBLE PRECISION, priority VARCHAR(16), cooldown_nanos BIGINT, message TEXT)");

    private static final String UPSERT_ALERT = "INSERT INTO iotpm_alerts (" + AlertRows.ALERT_COLUMNS + ") VALUES ("
            + String.join(", ", Collections.nCopies(AlertRows.ALERT_COLUMN_COUNT, "?")) + ") ON CONFLICT (id) DO UPDATE SET "
            + updateAll(AlertRows.ALERT_COLUMNS);
    private static final String UPSERT_SILENCE = "INSERT INTO iotpm_alert_silences (id, rule, device_id, until_at,"
            + " created_by, comment) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            + updateAll("id, rule, device_id, until_at, created_by, comment");
    // seq orders edits made within the same instant: one more than the highest so far.
    private static final String UPSERT_EDIT = "INSERT INTO iotpm_alert_rule_edits (name, edited_at, added, channel,"
            + " above, threshold, priority, cooldown_nanos, message, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " (SELECT COALESCE(MAX(seq), 0) + 1 FROM iotpm_alert_rule_edits)) ON CONFLICT (name) DO UPDATE SET "
            + updateAll("name, edited_at, added, channel, above, threshold, priority, cooldown_nanos, message, seq");

    private final Connector connector;
    private final String description;

    private JdbcAlertStore(Connector connector, String description) {
        this.connector = connector;
        this.description = description;
        connector.call("creating its tables", c -> {
            try (Statement s = c.connection().createStatement()) {
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /**
     * Opens (creating when missing) an SQLite file, with {@code synchronous=NORMAL}.
     *
     * @param file the database file; its folder is created when missing
     * @return the open store
     * @throws io.iotpm.alerts.store.AlertStoreException when the file cannot be opened or is not a database
     */
    public static JdbcAlertStore sqlite(Path file) {
        return sqlite(file, false);
    }

    /**
     * @param file            the database file; its folder is created when missing
     * @param synchronousFull fsync every commit, so commits also survive a power cut (slower)
     * @return the open store
     */
    public static JdbcAlertStore sqlite(Path file, boolean synchronousFull) {
        Path abs = Objects.requireNonNull(file, "file").toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of alert store " + abs, e);
        }
        String url = "jdbc:sqlite:" + abs;
        return new JdbcAlertStore(Connector.single(() -> DriverManager.getConnection(url),
                Dialect.SQLITE.sessionSetup(synchronousFull), "sqlite:" + abs), "sqlite:" + abs);
    }

    /**
     * Opens a store over a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}) with one
     * connection, replaced when it dies.
     *
     * @param jdbcUrl  the URL
     * @param user     the user, or {@code null}
     * @param password the password, or {@code null}; never part of messages
     * @return the open store
     * @throws IllegalArgumentException for another database
     */
    public static JdbcAlertStore open(String jdbcUrl, String user, String password) {
        Dialect d = Dialect.of(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        String shown = d.label() + ":" + jdbcUrl.replaceFirst("^jdbc:[a-z]+:", "").replaceFirst("\\?.*", "");
        return new JdbcAlertStore(Connector.single(() -> DriverManager.getConnection(jdbcUrl, props),
                d.sessionSetup(false), shown), shown);
    }

    /**
     * A store over a host's pool; a connection is borrowed per call.
     *
     * @param dataSource an SQLite or PostgreSQL data source
     * @return the open store; closing it does not close the data source
     */
    public static JdbcAlertStore of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect d;
        try (Connection c = dataSource.getConnection()) {
            d = Dialect.of(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new io.iotpm.alerts.store.AlertStoreException("alert store: cannot connect to " + dataSource, e);
        }
        String shown = d.label() + " data source";
        return new JdbcAlertStore(Connector.pooled(dataSource, d.sessionSetup(false), shown), shown);
    }

    private static String updateAll(String columns) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns.split(",\\s*")) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(col).append(" = excluded.").append(col);
        }
        return sb.toString();
    }

    @Override
    public long reserveIds(String sequence, int count) {
        Sequences.check(sequence, count);
        return connector.call("reserving " + count + " '" + sequence + "' ids", c -> {
            PreparedStatement ins = c.prepare(
                    "INSERT INTO iotpm_alert_sequences (name, next_id) VALUES (?, 1) ON CONFLICT (name) DO NOTHING");
            ins.setString(1, sequence);
            ins.executeUpdate();
            // The UPDATE takes the row's write lock first, so concurrent reservations queue behind it.
            PreparedStatement up = c.prepare(
                    "UPDATE iotpm_alert_sequences SET next_id = next_id + ? WHERE name = ?");
            up.setLong(1, count);
            up.setString(2, sequence);
            up.executeUpdate();
            PreparedStatement q = c.prepare("SELECT next_id FROM iotpm_alert_sequences WHERE name = ?");
            q.setString(1, sequence);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) - count;
            }
        });
    }

    @Override
    public void save(StoredAlert alert) {
        Objects.requireNonNull(alert, "alert");
        Sequences.checkId(alert.id());
        connector.call("saving alert " + alert.id(), c -> {
            PreparedStatement ps = c.prepare(UPSERT_ALERT);
            AlertRows.bindAlert(ps, alert);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Optional<StoredAlert> get(long id) {
        List<StoredAlert> found = queryAlerts("reading alert " + id,
                "SELECT " + AlertRows.ALERT_COLUMNS + " FROM iotpm_alerts WHERE id = ?", List.of(id), 1);
        return found.stream().findFirst();
    }

    @Override
    public List<StoredAlert> open() {
        return queryAlerts("reading the open alerts", "SELECT " + AlertRows.ALERT_COLUMNS
                + " FROM iotpm_alerts WHERE state IN (?, ?) ORDER BY id",
                List.of(AlertState.ACTIVE.name(), AlertState.ACKNOWLEDGED.name()), Integer.MAX_VALUE);
    }

    @Override
    public List<StoredAlert> history(AlertQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + AlertRows.ALERT_COLUMNS + " FROM iotpm_alerts WHERE priority_rank >= ?");
        List<Object> args = new ArrayList<>();
        args.add(query.minPriority().ordinal());
        if (query.deviceId() != null) {
            sql.append(" AND device_id = ?");
            args.add(query.deviceId());
        }
        if (query.rule() != null) {
            sql.append(" AND rule = ?");
            args.add(query.rule());
        }
        if (query.states().size() < AlertState.values().length) {
            sql.append(" AND state IN (").append(String.join(", ", Collections.nCopies(query.states().size(), "?")))
                    .append(')');
            query.states().forEach(s -> args.add(s.name()));
        }
        if (query.from() != null) {
            sql.append(" AND first_seen >= ?");
            args.add(AlertRows.nanos(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND first_seen < ?");
            args.add(AlertRows.nanos(query.to()));
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(query.limit());
        return queryAlerts("querying the history", sql.toString(), args, query.limit());
    }

    private List<StoredAlert> queryAlerts(String what, String sql, List<?> args, int limit) {
        return connector.call(what, c -> {
            PreparedStatement ps = c.prepare(sql);
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StoredAlert> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(AlertRows.alert(rs));
                }
            }
            return out;
        });
    }

    @Override
    public long deleteHistoryBefore(Instant cutoff) {
        long before = AlertRows.nanos(Objects.requireNonNull(cutoff, "cutoff"));
        return connector.call("deleting alerts resolved before " + cutoff, c -> {
            PreparedStatement ps = c.prepare(
                    "DELETE FROM iotpm_alerts WHERE state = ? AND resolved_at < ?");
            ps.setString(1, AlertState.RESOLVED.name());
            ps.setLong(2, before);
            return (long) ps.executeUpdate();
        });
    }

    @Override
    public void saveSilence(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        Sequences.checkId(silence.id());
        connector.call("saving silence " + silence.id(), c -> {
            PreparedStatement ps = c.prepare(UPSERT_SILENCE);
            AlertRows.bindSilence(ps, silence);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean deleteSilence(long id) {
        return connector.call("deleting silence " + id, c -> {
            PreparedStatement ps = c.prepare("DELETE FROM iotpm_alert_silences WHERE id = ?");
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public List<Silence> silences() {
        return connector.call("reading the silences", c -> {
            List<Silence> out = new ArrayList<>();
            try (Statement s = c.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, rule, device_id, until_at, created_by, comment"
                         + " FROM iotpm_alert_silences ORDER BY id")) {
                while (rs.next()) {
                    out.add(AlertRows.silence(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void saveRuleEdit(RuleEdit edit) {
        Objects.requireNonNull(edit, "edit");
        connector.call("saving the edit of rule '" + edit.name() + "'", c -> {
            PreparedStatement ps = c.prepare(UPSERT_EDIT);
            AlertRows.bindEdit(ps, edit);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public List<RuleEdit> ruleEdits() {
        return connector.call("reading the rule edits", c -> {
            List<RuleEdit> out = new ArrayList<>();
            try (Statement s = c.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, edited_at, added, channel, above, threshold, priority,"
                         + " cooldown_nanos, message FROM iotpm_alert_rule_edits ORDER BY edited_at, seq")) {
                while (rs.next()) {
                    out.add(AlertRows.edit(rs));
                }
            }
            return out;
        });
    }

    @Override
    public String description() {
        return description;
    }

    /** Closes the connection (not a host's data source); idempotent. */
    @Override
    public void close() {
        connector.close();
    }
}
