package io.iotpm.storage.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts that make each write one atomic command: Redis runs a script alone, and its
 * effects reach the append-only file as one MULTI/EXEC, so a batch is stored whole or not at all
 * (a server killed mid-write leaves a truncated transaction that Redis drops on load).
 * Scripts are sent by SHA ({@code EVALSHA}) and once in full when the server does not know them
 * (first use, or after a restart emptied its script cache).
 */
final class RedisScripts {

    /** Returned by {@link #APPEND} when the store already holds another schema. */
    static final String SCHEMA_MISMATCH = "IOTPM_SCHEMA_MISMATCH";

    /** Members per variadic ZADD: unpack puts every argument on Lua's C stack, which holds 8,000. */
    private static final int ZADD_CHUNK = 1_000;

    /**
     * KEYS: meta, device index, then one readings key per device. ARGV: schema text, number of
     * devices d, d device ids, d counts, d flags, then the members grouped by device (in the keys'
     * order, each device's in batch order). A flag is 1 when that device's readings are strictly
     * newer one after the other (so the batch holds no two of one instant). The first batch also
     * restores app and format should someone have deleted the metadata meanwhile.
     * A flagged device with nothing stored at or after its first instant (one ZRANGE) takes the
     * fast path: its members go in with variadic ZADDs, as nothing can share an instant with them
     * (scores as the string '0': redis.call formats a Lua number into text for every argument).
     * Otherwise, per reading: remove any member of the same instant (same 12-byte prefix; all
     * members have one length), then add it, so the later of two readings of one instant wins.
     */
    static final Script APPEND = new Script("""
            local stored = redis.call('HGET', KEYS[1], 'schema')
            if not stored then
              redis.call('HSET', KEYS[1], 'schema', ARGV[1])
              redis.call('HSETNX', KEYS[1], 'app', 'iotpm')
              redis.call('HSETNX', KEYS[1], 'format', '%d')
            elseif stored ~= ARGV[1] then
              return redis.error_reply('%s')
            end
            local d = tonumber(ARGV[2])
            if d == 0 then
              return 0
            end
            local index = {}
            for j = 1, d do
              index[2 * j - 1] = '0'
              index[2 * j] = ARGV[2 + j]
            end
            redis.call('ZADD', KEYS[2], unpack(index))
            local m = 3 + 3 * d
            local tail = string.rep('\\255', #ARGV[m] - 12)
            local added = 0
            for j = 1, d do
              local key = KEYS[2 + j]
              local n = tonumber(ARGV[2 + d + j])
              local last = m + n - 1
              if ARGV[2 + 2 * d + j] == '1'
                  and #redis.call('ZRANGE', key, '[' .. string.sub(ARGV[m], 1, 12), '+', 'BYLEX', 'LIMIT', 0, 1) == 0 then
                for c = m, last, %d do
                  local args = {}
                  local k = 0
                  for i = c, math.min(c + %d - 1, last) do
                    args[k + 1] = '0'
                    args[k + 2] = ARGV[i]
                    k = k + 2
                  end
                  added = added + redis.call('ZADD', key, unpack(args))
                end
              else
                for i = m, last do
                  local t = string.sub(ARGV[i], 1, 12)
                  redis.call('ZREMRANGEBYLEX', key, '[' .. t, '[' .. t .. tail)
                  added = added + redis.call('ZADD', key, 0, ARGV[i])
                end
              end
              m = last + 1
            end
            return added
            """.formatted(RedisStorage.FORMAT_VERSION, SCHEMA_MISMATCH, ZADD_CHUNK, ZADD_CHUNK));

    /** KEYS: events key, device index. ARGV: member, device id. */
    static final Script EVENT = new Script("""
            redis.call('ZADD', KEYS[1], 0, ARGV[1])
            redis.call('ZADD', KEYS[2], 0, ARGV[2])
            return 0
            """);

    /**
     * KEYS: device index. ARGV: readings key prefix, events key prefix, exclusive upper bound.
     * Returns the number of readings deleted; devices left with nothing leave the index.
     */
    static final Script RETAIN = new Script("""
            local deleted = 0
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local r = ARGV[1] .. id
              local e = ARGV[2] .. id
              deleted = deleted + redis.call('ZREMRANGEBYLEX', r, '-', ARGV[3])
              redis.call('ZREMRANGEBYLEX', e, '-', ARGV[3])
              if redis.call('EXISTS', r, e) == 0 then
                redis.call('ZREM', KEYS[1], id)
              end
            end
            return deleted
            """);

    private RedisScripts() {
    }

    /** One script, with its SHA-1 computed once. */
    static final class Script {
        private final byte[] body;
        private final byte[] sha;

        Script(String body) {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            try {
                this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.body))
                        .getBytes(StandardCharsets.US_ASCII);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-1", e);
            }
        }

        Object run(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
            try {
                return redis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return redis.eval(body, keys, args);
            }
        }
    }
}
