package io.iotpm.storage.redis;

import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.Map;

/**
 * Opening a store: the metadata hash says the keys are iotpm's and in which format; a database
 * (or key prefix) with other keys and no metadata belongs to someone else and is refused untouched.
 */
final class RedisMeta {

    private static final Logger LOG = LoggerFactory.getLogger(RedisMeta.class);

    static final String APPLICATION = "iotpm";

    private final String location;
    private final RedisKeys keys;

    RedisMeta(String location, RedisKeys keys) {
        this.location = location;
        this.keys = keys;
    }

    /**
     * @return the stored schema, or {@code null} while the store holds no readings
     * @throws StorageException when the database is not (and cannot become) this store
     */
    SensorSchema open(UnifiedJedis redis) {
        try {
            Map<String, String> meta = redis.hgetAll(keys.metaName());
            if (meta.isEmpty()) {
                refuseForeignKeys(redis);
                redis.hset(keys.metaName(), Map.of("app", APPLICATION,
                        "format", Integer.toString(RedisStorage.FORMAT_VERSION)));
                warnIfEvicting(redis);
                return null;
            }
            String app = meta.get("app");
            if (!APPLICATION.equals(app)) {
                throw new StorageException(location + ": key " + keys.metaName() + " belongs to another application ("
                        + "app=" + app + "); refusing to use it, nothing was changed");
            }
            int format;
            try {
                format = Integer.parseInt(String.valueOf(meta.get("format")));
            } catch (NumberFormatException e) {
                throw new StorageException(location + ": metadata has no valid format version ('" + meta.get("format")
                        + "'); nothing was changed", e);
            }
            if (format > RedisStorage.FORMAT_VERSION || format < 1) {
                throw new StorageException(location + " was written in format " + format + ", but this version reads "
                        + "format 1.." + RedisStorage.FORMAT_VERSION + "; nothing was changed");
            }
            warnIfEvicting(redis);
            String schema = meta.get("schema");
            return schema == null ? null : SchemaText.read(schema, location);
        } catch (JedisException e) {
            throw RedisErrors.storageException(location, "open", e);
        }
    }

    /** Under an allkeys-* policy a full server silently drops readings; say so once, at open. */
    private void warnIfEvicting(UnifiedJedis redis) {
        try {
            String policy = redis.configGet("maxmemory-policy").get("maxmemory-policy");
            if (policy != null && policy.startsWith("allkeys")) {
                LOG.warn("{}: the server's maxmemory-policy is {}: when it is full it evicts stored readings; "
                        + "use noeviction for a store", location, policy);
            }
        } catch (JedisException e) {
            LOG.debug("{}: cannot read maxmemory-policy (CONFIG not allowed): {}", location, e.getMessage());
        }
    }

    private void refuseForeignKeys(UnifiedJedis redis) {
        if (keys.prefix().isEmpty()) {
            long n = redis.dbSize();
            if (n > 0) {
                throw new StorageException(location + ": the database holds " + n + " keys but no iotpm metadata ("
                        + keys.metaName() + "), so it belongs to another application; nothing was changed. Use an "
                        + "empty database (redis://host:port/DB) or a key prefix (?prefix=NAME:)");
            }
            return;
        }
        ScanParams params = new ScanParams().match(keys.prefix() + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                throw new StorageException(location + ": keys under prefix '" + keys.prefix() + "' exist (e.g. "
                        + page.getResult().get(0) + ") but no iotpm metadata, so they belong to another "
                        + "application; nothing was changed. Choose another prefix or database");
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
