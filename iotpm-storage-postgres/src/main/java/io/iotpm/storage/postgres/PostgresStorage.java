package io.iotpm.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.core.storage.StorageLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Stores readings in a PostgreSQL database (pgjdbc, a bounded HikariCP pool), what a TimescaleDB
 * user would expect in plain PostgreSQL:
 * <pre>
 * readings(device text, ts bigint epoch-nanoseconds, health float8, c0 float8, c1 float8, ...)
 *   PRIMARY KEY (device, ts), PARTITION BY RANGE (ts): one partition per UTC day (readings_20260101),
 *   created when a write first needs it plus {@value PgPartitions#AHEAD} days ahead
 * devices(device PRIMARY KEY, last_seen, reading_count)  -- kept in the same transaction as readings
 * events(id, device, ts, kind, detail), UNIQUE (device, ts, kind, detail)
 * iotpm_meta(key, value): application = iotpm, format_version, schema_name
 * iotpm_channels(position, name, unit, ranges...): the sensor schema; channel i is column c{i}
 * </pre>
 * A NULL value is a missing one (NaN in Java). Daily partitions keep retention fine-grained (a day)
 * while a year is only 365 tables; retention drops the partitions wholly before the cutoff
 * (instant, nothing to vacuum) and deletes from the one that straddles it.
 *
 * <p>(device, timestamp) is a reading's identity: writing it again replaces it (the last write
 * wins), so a redelivered or retried batch stores nothing twice and counts stay right. A batch is
 * one transaction: {@code COPY} into a temporary staging table, then one
 * {@code INSERT ... ON CONFLICT DO UPDATE} that also updates the device table. Because writes are
 * idempotent, a write that fails on a lost connection or a restarting server is retried until
 * {@link Builder#retryFor(Duration)} has passed; several JVMs may write one database at once.
 *
 * <p>The password comes from {@link Builder#password(String)} (the URI provider reads the
 * {@code PGPASSWORD} environment variable; pgjdbc also reads {@code ~/.pgpass}); it never appears in
 * messages, logs or {@link #toString()}. Durability is the server's: a write that returned is
 * committed, and survives a crash with the server's default {@code fsync=on}.
 *
 * <p>This class is the facade: it owns the pool and the lifecycle and hands each job to a
 * package-private part ({@code PgSchema} for layout and migrations, {@code PgPartitions},
 * {@code PgWriter}, {@code PgReader}).
 */
public final class PostgresStorage implements StorageBackend {

    /** Default pool size. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** Default time a write keeps retrying while the server is unreachable. */
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(30);
    /** The layout version this class writes and reads. */
    public static final int FORMAT_VERSION = PgSchema.FORMAT_VERSION;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);

    private final String location;
    private final Duration retryFor;
    private final HikariDataSource pool;
    private final PgPartitions partitions = new PgPartitions();
    private final StorageLifecycle lifecycle;
    private volatile Layout layout;            // null until the first reading fixes the schema

    /** The parts that depend on the sensor schema, built once it is known. */
    private record Layout(SensorSchema schema, PgWriter writer, PgReader reader) {
    }

    private PostgresStorage(Builder b) {
        this.location = b.location();
        this.lifecycle = new StorageLifecycle(location);
        this.retryFor = b.retryFor;
        Properties props = b.properties();
        SensorSchema stored;
        try (Connection c = DriverManager.getConnection(b.jdbcUrl(), props)) {
            stored = new PgSchema(location).initialise(c);
        } catch (SQLException e) {
            throw new StorageException(location + ": cannot open: " + PgErrors.describe(e, b.user), e);
        }
        this.layout = stored == null ? null : layout(stored);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(b.jdbcUrl());
        config.setDataSourceProperties(props);
        config.setMaximumPoolSize(b.poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("iotpm-postgres");
        this.pool = new HikariDataSource(config);
    }

    /**
     * @param host     server host name or address
     * @param port     server port, e.g. 5432
     * @param database database name; an empty one gets the layout, an iotpm one is migrated
     * @return a builder
     */
    public static Builder builder(String host, int port, String database) {
        return new Builder(host, port, database);
    }

    private Layout layout(SensorSchema s) {
        return new Layout(s, new PgWriter(s), new PgReader(location, s));
    }

    /** @return the sensor schema this store holds, or {@code null} before the first reading */
    public SensorSchema schema() {
        Layout l = layout;
        return l == null ? null : l.schema();
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public void append(SensorReading reading) {
        Objects.requireNonNull(reading, "reading");
        appendAll(List.of(reading));
    }

    @Override
    public void appendAll(Collection<SensorReading> readings) {
        SensorReading[] rows = Objects.requireNonNull(readings, "readings").toArray(new SensorReading[0]);
        SensorSchema s = PgValues.batchSchema(rows);
        if (s == null) {
            lifecycle.run(() -> { });   // an empty batch still fails on a closed store
            return;
        }
        long[] nanos = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            nanos[k] = PgValues.nanos(rows[k].timestamp());
        }
        PgWriter.Batch batch = PgWriter.prepare(rows, nanos);
        lifecycle.call(() -> {
            Layout l = layoutFor(s, rows[0]);
            return retrying("write " + batch.rows().length + " readings", c -> {
                if (!partitions.covers(batch.days())) {
                    partitions.ensure(c, batch.days());
                }
                l.writer().write(c, batch);
                return null;
            });
        });
    }

    /**
     * @return the layout, or {@code null} while the database holds no readings; looks again each
     * time until then, since another store (or JVM) on the same database may have written first
     */
    private Layout currentLayout() {
        Layout l = layout;
        if (l == null) {
            synchronized (this) {
                if (layout == null) {
                    SensorSchema stored = retrying("read the schema", PgSchema::load);
                    layout = stored == null ? null : layout(stored);
                }
                l = layout;
            }
        }
        return l;
    }

    /** The layout for schema {@code s}: fixes the store's schema on the first write, refuses another. */
    private Layout layoutFor(SensorSchema s, SensorReading first) {
        Layout l = layout;
        if (l == null) {
            synchronized (this) {
                l = layout;
                if (l == null) {
                    SensorSchema fixed = retrying("fix the schema", c -> fixSchema(c, s));
                    l = layout(fixed);
                    layout = l;
                }
            }
        }
        if (!l.schema().equals(s)) {
            throw new IllegalArgumentException("reading of device '" + first.deviceId() + "' at " + first.timestamp()
                    + " has schema '" + s.name() + "', but " + location + " holds schema '" + l.schema().name()
                    + "'; nothing of this write was stored");
        }
        return l;
    }

    private static SensorSchema fixSchema(Connection c, SensorSchema s) throws SQLException {
        c.setAutoCommit(false);
        try {
            PgSchema.lock(c);
            SensorSchema other = PgSchema.load(c);   // another JVM may have written first
            if (other == null) {
                PgSchema.createReadings(c, s);
            }
            c.commit();
            return other == null ? s : other;
        } catch (SQLException | RuntimeException e) {
            PgWriter.rollbackQuietly(c, e);
            throw e;
        }
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        long ts = PgValues.nanos(event.timestamp());
        lifecycle.call(() -> retrying("write an event of " + event.deviceId(), c -> {
            PgWriter.appendEvent(c, event, ts);
            return null;
        }));
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        long ts = PgValues.clamp(Objects.requireNonNull(cutoff, "cutoff"));
        return lifecycle.call(() -> retrying("delete before " + cutoff, c -> {
            c.setAutoCommit(false);
            try {
                PgSchema.lock(c);
                long total = 0;
                if (currentLayout() != null) {
                    Map<String, Long> gone = partitions.deleteBefore(c, ts);
                    total = PgWriter.subtractCounts(c, gone);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE ts < ?")) {
                    ps.setLong(1, ts);
                    ps.executeUpdate();
                }
                c.commit();
                partitions.forgetBefore(ts);
                return total;
            } catch (SQLException | RuntimeException e) {
                PgWriter.rollbackQuietly(c, e);
                partitions.invalidate();
                throw e;
            }
        }));
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        DeviceIds.requireValid(deviceId);
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, but was " + n);
        }
        return lifecycle.call(() -> {
            Layout l = currentLayout();
            return l == null ? List.of() : retrying("read latest of " + deviceId, c -> l.reader().latest(c, deviceId, n));
        });
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        long[] bounds = PgValues.checkRange(deviceId, from, to);
        return lifecycle.call(() -> {
            Layout l = currentLayout();
            return l == null ? List.of()
                    : retrying("read range of " + deviceId, c -> l.reader().range(c, deviceId, bounds[0], bounds[1]));
        });
    }

    @Override
    public List<DeviceInfo> devices() {
        return lifecycle.call(() -> retrying("list devices", PgReader::devices));
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        return lifecycle.call(() -> retrying("count " + deviceId, c -> PgReader.count(c, deviceId)));
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        long[] bounds = PgValues.checkRange(deviceId, from, to);
        return lifecycle.call(() -> retrying("read events of " + deviceId,
                c -> PgReader.events(c, location, deviceId, bounds[0], bounds[1])));
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /** One database job on a pooled connection. */
    @FunctionalInterface
    private interface Job<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs the job, retrying while the server is unreachable or restarting (and once more when a
     * partition vanished under another JVM's retention). Safe because every job is idempotent.
     */
    private <T> T retrying(String what, Job<T> job) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoffMs = 50;
        while (true) {
            try (Connection c = pool.getConnection()) {
                return job.run(c);
            } catch (SQLException e) {
                boolean partitionGone = PgErrors.isMissingPartition(e);
                if (partitionGone) {
                    partitions.invalidate();
                }
                if (!(partitionGone || PgErrors.isTransient(e)) || System.nanoTime() > deadline) {
                    throw new StorageException(location + ": cannot " + what + ": " + PgErrors.describe(e, null), e);
                }
                LOG.warn("{}: cannot {} ({}), retrying in {} ms", location, what, PgErrors.describe(e, null), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(1_000, backoffMs * 2);
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(location + ": interrupted while waiting to retry", e);
        }
    }

    /** Waits for running calls, then closes the pool. */
    @Override
    public void close() {
        lifecycle.close(pool::close);
    }

    @Override
    public String toString() {
        return location;
    }

    /** Builds a {@link PostgresStorage}; {@link #build()} connects, creates or migrates the layout. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final String database;
        private String user = System.getProperty("user.name");
        private String password;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration retryFor = DEFAULT_RETRY_FOR;

        private Builder(String host, int port, String database) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 1..65535, but was " + port);
            }
            this.port = port;
            this.database = Objects.requireNonNull(database, "database");
            if (database.isBlank()) {
                throw new IllegalArgumentException("database name is empty");
            }
        }

        /**
         * @param user the role to log in as; default the OS user name
         * @return this builder
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * @param password the role's password, or {@code null} for none (then pgjdbc tries {@code ~/.pgpass})
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * @param poolSize most connections held at once, 1..100; default {@value PostgresStorage#DEFAULT_POOL_SIZE}
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 100) {
                throw new IllegalArgumentException("poolSize must be in 1..100, but was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * @param retryFor how long a call keeps retrying while the server is unreachable, 0..1 h; default 30 s
         * @return this builder
         */
        public Builder retryFor(Duration retryFor) {
            if (retryFor.isNegative() || retryFor.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("retryFor must be in 0..1h, but was " + retryFor);
            }
            this.retryFor = retryFor;
            return this;
        }

        private String location() {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
        }

        private String jdbcUrl() {
            String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return "jdbc:postgresql://" + h + ":" + port + "/" + database;
        }

        private Properties properties() {
            Properties p = new Properties();
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
            p.setProperty("ApplicationName", "iotpm");
            p.setProperty("connectTimeout", "5");
            p.setProperty("tcpKeepAlive", "true");
            return p;
        }

        /**
         * Connects, then creates the layout in an empty database or migrates an older iotpm one.
         *
         * @return the open store
         * @throws StorageException when the server is unreachable, the credentials are wrong (the
         *                          message never holds the password), the database belongs to another
         *                          application or has a newer format (it is left unchanged)
         */
        public PostgresStorage build() {
            return new PostgresStorage(this);
        }
    }
}
