package io.iotpm.storage.redis;

import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.iotpm.core.storage.StorageProvider;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code redis:} scheme: {@code redis://[user@]host[:port][/db][?prefix=NAME:&timeoutMs=5000&poolSize=8]},
 * see {@link RedisStorage}. The password is never part of the URI: it comes from the
 * {@code REDIS_PASSWORD} setting ({@link IotpmConfig#REDIS_PASSWORD}). A bare {@code redis:} uses
 * {@code REDIS_HOST} and {@code REDIS_PORT}, as the original system did.
 */
public final class RedisStorageProvider implements StorageProvider {

    private static final Pattern AUTHORITY = Pattern.compile(
            "//(?:(?<user>[^@:/?]+)@)?(?<host>\\[[0-9a-fA-F:.]+]|[^@:/?\\[\\]]+)(?::(?<port>\\d{1,5}))?(?:/(?<db>\\d{0,5}))?");

    /** Creates the provider; does nothing else. */
    public RedisStorageProvider() {
    }

    @Override
    public String scheme() {
        return "redis";
    }

    @Override
    public StorageBackend open(StorageLocation location) {
        String path = location.path();
        int at = path.indexOf('@');
        if (at >= 0 && path.substring(0, at).contains(":")) {
            // The URI itself would show the secret in messages and process lists: never echo it.
            throw new IllegalArgumentException("a redis:// storage URI must not contain a password (user:password@); "
                    + "set REDIS_PASSWORD instead and write redis://user@host:port/db");
        }
        location.requireKnownOptions(Set.of("prefix", "timeoutMs", "poolSize"));
        IotpmConfig config = IotpmConfig.fromEnvironment();
        RedisStorage.Builder b;
        if (path.isEmpty()) {
            b = RedisStorage.builder(config.get(IotpmConfig.REDIS_HOST), config.get(IotpmConfig.REDIS_PORT));
        } else {
            Matcher m = AUTHORITY.matcher(path);
            if (!m.matches()) {
                throw new IllegalArgumentException("a redis storage URI must look like redis://[user@]host[:port][/db], "
                        + "e.g. redis://localhost:6379/0, but was '" + location.uri() + "'");
            }
            String host = m.group("host");
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            String port = m.group("port");
            b = RedisStorage.builder(host, port == null ? RedisStorage.DEFAULT_PORT : Integer.parseInt(port));
            String db = m.group("db");
            if (db != null && !db.isEmpty()) {
                b.database(Integer.parseInt(db));
            }
            b.user(m.group("user"));
        }
        b.password(config.get(IotpmConfig.REDIS_PASSWORD));
        b.keyPrefix(location.option("prefix", ""));
        b.timeout(Duration.ofMillis(location.intOption("timeoutMs", (int) RedisStorage.DEFAULT_TIMEOUT.toMillis())));
        b.poolSize(location.intOption("poolSize", RedisStorage.DEFAULT_POOL_SIZE));
        return b.build();
    }

    @Override
    public String description() {
        return "redis://[user@]host[:port][/db][?prefix=NAME:&timeoutMs=5000&poolSize=8] (password: REDIS_PASSWORD)";
    }
}
