/**
 * The Redis backend: plain Redis 7 (no modules), a lexicographically ordered sorted set per device,
 * each batch one atomic Lua script. URI: {@code redis://[user@]host:port/db?prefix=plant1:&timeoutMs=5000&poolSize=8}
 * with the password from {@code REDIS_PASSWORD}.
 *
 * <p>Public: {@link io.iotpm.storage.redis.RedisStorage} (builder and facade) and
 * {@link io.iotpm.storage.redis.RedisStorageProvider}. Package-private, one job each: {@code RedisKeys}
 * (key names), {@code RedisCodec} (binary members whose byte order is time order), {@code RedisScripts}
 * (the write scripts), {@code RedisMeta} (opening checks), {@code SchemaText} and {@code RedisErrors}.
 */
package io.iotpm.storage.redis;
