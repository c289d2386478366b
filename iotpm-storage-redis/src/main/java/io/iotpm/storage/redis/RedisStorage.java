package io.iotpm.storage.redis;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageException;
import io.iotpm.core.storage.StorageLifecycle;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Stores readings in a Redis 7 server (plain Redis, no modules), through a pool of Jedis connections.
 *
 * <p>Layout (format version {@value #FORMAT_VERSION}), every key under the optional key prefix:
 * <pre>
 * PREFIXiotpm:meta          hash: app=iotpm, format=1, schema=the sensor schema as text
 * PREFIXiotpm:devices       sorted set of device ids (score 0, so ordered by id)
 * PREFIXiotpm:r:DEVICE      sorted set, score 0, one member per reading: 12-byte time key + values
 * PREFIXiotpm:e:DEVICE      sorted set, score 0, one member per event: 12-byte time key + kind + detail
 * </pre>
 * As all scores are equal, Redis orders members byte-wise, and the time key makes that time order:
 * {@code latest} is one {@code ZREVRANGEBYLEX ... LIMIT 0 n}, {@code range} one
 * {@code ZRANGEBYLEX}, {@code count} one {@code ZCARD}, and retention one {@code ZREMRANGEBYLEX}
 * per device. Timestamps keep their nanoseconds.
 *
 * <p>(device id, timestamp) is a reading's identity: a batch is one Lua script that, per reading,
 * removes the member of the same instant and adds the new one, so the last write wins, re-appending
 * a stored batch stores nothing twice, and a batch is applied whole or not at all.
 *
 * <p>Opening refuses, and leaves unchanged, a database that holds keys but no iotpm metadata (with
 * a key prefix: keys under the prefix), metadata of another application, or a newer format.
 *
 * <p>Durability is the server's: see the module README (no persistence, AOF {@code everysec},
 * AOF {@code always}).
 */
public final class RedisStorage implements StorageBackend {

    /** The key layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Default Redis port. */
    public static final int DEFAULT_PORT = 6379;
    /** Default connect and socket timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of pooled connections. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private final String location;
    private final RedisKeys keys;
    private final RedisClient redis;
    private final StorageLifecycle lifecycle;
    private volatile SensorSchema schema;

    private RedisStorage(Builder b) {
        this.location = b.location();
        this.lifecycle = new StorageLifecycle(location);
        this.keys = new RedisKeys(b.keyPrefix);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(b.database)
                .connectionTimeoutMillis((int) b.timeout.toMillis())
                .socketTimeoutMillis((int) b.timeout.toMillis())
                .clientName("iotpm");
        if (b.user != null) {
            config.user(b.user);
        }
        if (b.password != null) {
            config.password(b.password);
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(b.poolSize);
        pool.setMaxIdle(b.poolSize);
        pool.setJmxEnabled(false);
        this.redis = RedisClient.builder().hostAndPort(b.host, b.port).clientConfig(config.build())
                .poolConfig(pool).build();
        try {
            this.schema = new RedisMeta(location, keys).open(redis);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /**
     * @param host the server's host name or address
     * @param port its port
     * @return a builder for database 0, no user, no password, no key prefix
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
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
        SensorSchema s = check(rows);
        // Grouped by device so the script walks each key's members in one run; a device whose
        // readings rise strictly in time may take the script's fast path (no same-instant removal).
        Map<String, DeviceMembers> devices = new LinkedHashMap<>();
        for (SensorReading r : rows) {
            devices.computeIfAbsent(r.deviceId(), id -> new DeviceMembers()).add(r);
        }
        List<byte[]> scriptKeys = new ArrayList<>(devices.size() + 2);
        scriptKeys.add(keys.meta());
        scriptKeys.add(keys.devices());
        List<byte[]> args = new ArrayList<>(rows.length + 3 * devices.size() + 2);
        args.add((s == null ? "" : SchemaText.write(s)).getBytes(StandardCharsets.UTF_8));
        args.add(Integer.toString(devices.size()).getBytes(StandardCharsets.US_ASCII));
        for (String id : devices.keySet()) {
            scriptKeys.add(keys.readings(id));
            args.add(id.getBytes(StandardCharsets.UTF_8));
        }
        for (DeviceMembers m : devices.values()) {
            args.add(Integer.toString(m.members.size()).getBytes(StandardCharsets.US_ASCII));
        }
        for (DeviceMembers m : devices.values()) {
            args.add(m.rising ? ONE : ZERO);
        }
        for (DeviceMembers m : devices.values()) {
            args.addAll(m.members);
        }
        lifecycle.run(() -> {
            if (s == null) {
                return;
            }
            try {
                call("append " + rows.length + " readings", () -> RedisScripts.APPEND.run(redis, scriptKeys, args));
            } catch (StorageException e) {
                if (e.getCause() instanceof JedisDataException d && String.valueOf(d.getMessage())
                        .contains(RedisScripts.SCHEMA_MISMATCH)) {
                    SensorSchema held = call("read the stored schema", this::reloadSchema);
                    throw new IllegalArgumentException("readings have schema '" + s.name() + "', but store " + location
                            + " holds schema '" + (held == null ? "?" : held.name()) + "'; nothing of this write was stored");
                }
                throw e;
            }
            if (schema == null) {
                schema = s;
            }
        });
    }

    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};

    /** One device's members of a batch, in batch order, and whether their instants rise strictly. */
    private static final class DeviceMembers {
        final List<byte[]> members = new ArrayList<>();
        boolean rising = true;
        Instant last;

        void add(SensorReading r) {
            Instant t = r.timestamp();
            if (last != null && !t.isAfter(last)) {
                rising = false;
            }
            last = t;
            members.add(RedisCodec.reading(r));
        }
    }

    /** Non-null elements, one schema, the store's schema if it has one; nothing is adopted here. */
    private SensorSchema check(SensorReading[] rows) {
        SensorSchema batch = null;
        for (int i = 0; i < rows.length; i++) {
            SensorReading r = rows[i];
            if (r == null) {
                throw new NullPointerException("reading at index " + i + " of the batch is null; nothing was stored");
            }
            if (batch == null) {
                batch = r.schema();
                SensorSchema held = schema;
                if (held != null && !held.equals(batch)) {
                    throw mismatch(r, held, "store " + location);
                }
            } else if (!batch.equals(r.schema())) {
                throw mismatch(r, batch, "batch index " + i);
            }
        }
        return batch;
    }

    private static IllegalArgumentException mismatch(SensorReading r, SensorSchema expected, String where) {
        return new IllegalArgumentException("reading of device '" + r.deviceId() + "' at " + r.timestamp()
                + " has schema '" + r.schema().name() + "', but " + where + " holds schema '" + expected.name()
                + "'; nothing of this write was stored");
    }

    @Override
    public void appendEvent(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        List<byte[]> k = List.of(keys.events(event.deviceId()), keys.devices());
        List<byte[]> a = List.of(RedisCodec.event(event), event.deviceId().getBytes(StandardCharsets.UTF_8));
        guarded("append an event of " + event.deviceId(), () -> RedisScripts.EVENT.run(redis, k, a));
    }

    @Override
    public long deleteBefore(Instant cutoff) {
        byte[] bound = RedisCodec.before(Objects.requireNonNull(cutoff, "cutoff"));
        List<byte[]> a = List.of(keys.readingsPrefix(), keys.eventsPrefix(), bound);
        Object deleted = guarded("delete readings before " + cutoff,
                () -> RedisScripts.RETAIN.run(redis, List.of(keys.devices()), a));
        return (Long) deleted;
    }

    /** Runs a call to the server while the store is open, mapping Jedis failures. */
    private <T> T guarded(String what, Supplier<T> action) {
        return lifecycle.call(() -> call(what, action));
    }

    // ---- reads ----------------------------------------------------------------------------------

    /**
     * Runs a call; after a connection failure (a server restart leaves every pooled connection
     * dead) it drops the idle connections and tries once more on a fresh one. Retrying is safe
     * because every call is idempotent: reads, and writes keyed by (device, timestamp).
     */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (JedisConnectionException first) {
            redis.getPool().clear();
            try {
                return action.get();
            } catch (JedisException e) {
                throw RedisErrors.storageException(location, "cannot " + what, e);
            }
        } catch (JedisException e) {
            throw RedisErrors.storageException(location, "cannot " + what, e);
        }
    }

    private SensorSchema readSchema() {
        SensorSchema s = schema;
        return s != null ? s : reloadSchema();
    }

    /** Another client may have fixed the schema since this store opened. */
    private SensorSchema reloadSchema() {
        String text = redis.hget(new String(keys.meta(), StandardCharsets.UTF_8), "schema");
        if (text != null) {
            schema = SchemaText.read(text, location);
        }
        return schema;
    }

    @Override
    public List<SensorReading> latest(String deviceId, int n) {
        DeviceIds.requireValid(deviceId);
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, but was " + n);
        }
        return guarded("read the latest readings of " + deviceId, () -> readings(deviceId,
                redis.zrange(keys.readings(deviceId), RedisCodec.newest(n))));
    }

    @Override
    public List<SensorReading> range(String deviceId, Instant from, Instant to) {
        checkRange(deviceId, from, to);
        return guarded("read readings of " + deviceId, () -> readings(deviceId,
                redis.zrange(keys.readings(deviceId), RedisCodec.between(from, to))));
    }

    private List<SensorReading> readings(String deviceId, List<byte[]> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        SensorSchema s = readSchema();
        if (s == null) {
            throw new StorageException(location + " holds readings of " + deviceId + " but no schema in its metadata");
        }
        List<SensorReading> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(RedisCodec.reading(deviceId, s, m));
        }
        return out;
    }

    private static void checkRange(String deviceId, Instant from, Instant to) {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("range start " + from + " is after its end " + to);
        }
    }

    @Override
    public List<DeviceInfo> devices() {
        return guarded("list devices", () -> {
            List<byte[]> ids = redis.zrange(keys.devices(), 0, -1);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<Response<Long>> counts = new ArrayList<>(ids.size());
            List<Response<List<byte[]>>> newest = new ArrayList<>(ids.size());
            try (Pipeline p = redis.pipelined()) {
                for (byte[] id : ids) {
                    byte[] key = keys.readings(new String(id, StandardCharsets.UTF_8));
                    counts.add(p.zcard(key));
                    newest.add(p.zrange(key, RedisCodec.newest(1)));
                }
                p.sync();
            }
            List<DeviceInfo> out = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                long count = counts.get(i).get();
                List<byte[]> last = newest.get(i).get();
                if (count > 0 && !last.isEmpty()) {
                    out.add(new DeviceInfo(new String(ids.get(i), StandardCharsets.UTF_8),
                            RedisCodec.time(last.get(0)), count));
                }
            }
            return out;
        });
    }

    @Override
    public long count(String deviceId) {
        DeviceIds.requireValid(deviceId);
        return guarded("count readings of " + deviceId, () -> redis.zcard(keys.readings(deviceId)));
    }

    @Override
    public List<DeviceEvent> events(String deviceId, Instant from, Instant to) {
        checkRange(deviceId, from, to);
        return guarded("read events of " + deviceId, () -> {
            List<byte[]> members = redis.zrange(keys.events(deviceId), RedisCodec.between(from, to));
            List<DeviceEvent> out = new ArrayList<>(members.size());
            for (byte[] m : members) {
                out.add(RedisCodec.event(deviceId, m));
            }
            return out;
        });
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /** Waits for running calls, then closes the connection pool. Data is the server's. */
    @Override
    public void close() {
        lifecycle.close(redis::close);
    }

    /** @return the location without the password, e.g. {@code redis://app@host:6379/0} */
    @Override
    public String toString() {
        return location;
    }

    /** Builds a {@link RedisStorage}; {@link #build()} connects and checks the database. */
    public static final class Builder {
        private final String host;
        private final int port;
        private int database;
        private String user;
        private String password;
        private String keyPrefix = "";
        private Duration timeout = DEFAULT_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;

        private Builder(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("Redis host must not be blank, but was '" + host + "'");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Redis port must be in 1..65535, but was " + port);
            }
            this.host = host;
            this.port = port;
        }

        /**
         * @param database the database number, 0..15 on a default server; default 0
         * @return this builder
         */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("Redis database must be >= 0, but was " + database);
            }
            this.database = database;
            return this;
        }

        /**
         * @param user the ACL user name; default none (the default user)
         * @return this builder
         */
        public Builder user(String user) {
            if (user != null && user.isBlank()) {
                throw new IllegalArgumentException("Redis user must not be blank");
            }
            this.user = user;
            return this;
        }

        /**
         * @param password the password; never shown in messages, logs or {@link #toString()}; default none
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password == null || password.isEmpty() ? null : password;
            return this;
        }

        /**
         * Puts every key under a prefix, so a database may also hold other applications' keys (the
         * store then refuses only keys under its prefix that it did not write).
         *
         * @param keyPrefix e.g. {@code plant1:}; default none (the database must be iotpm's alone)
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '*' || c == '?' || c == '['
                    || c == ']' || c == '\\')) {
                throw new IllegalArgumentException("key prefix must be printable without spaces or glob characters "
                        + "(*?[]\\), but was '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * @param timeout connect and socket timeout, 1 ms..10 min; default 5 s
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("timeout must be in 1ms..10min, but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * @param poolSize pooled connections, 1..256; default {@value RedisStorage#DEFAULT_POOL_SIZE}
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 256) {
                throw new IllegalArgumentException("poolSize must be in 1..256, but was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        private String location() {
            return "redis://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database
                    + (keyPrefix.isEmpty() ? "" : "?prefix=" + keyPrefix);
        }

        /**
         * Connects, checks the database and writes the metadata of a new store.
         *
         * @return the open store
         * @throws StorageException when the server cannot be reached (saying how to get one), refuses
         *                          the credentials (without showing them), or holds another
         *                          application's data or a newer format; nothing is changed then
         */
        public RedisStorage build() {
            return new RedisStorage(this);
        }
    }
}
