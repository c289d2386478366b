package io.iotpm.storage.redis;

import io.iotpm.core.storage.StorageException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** Turns Jedis failures into {@link StorageException}s that say what to do and never show a password. */
final class RedisErrors {

    private RedisErrors() {
    }

    static StorageException storageException(String location, String what, JedisException e) {
        if (isAuthFailure(e)) {
            return new StorageException(location + ": the server refused the credentials (wrong user or password; "
                    + "the password comes from REDIS_PASSWORD or the builder, never from the URI)", e);
        }
        if (e instanceof JedisConnectionException) {
            return new StorageException(location + ": " + what + ": cannot reach the Redis server (" + rootMessage(e)
                    + "). Start one, e.g. 'apt-get install redis-server' then 'redis-server --port 6379', or point "
                    + "the URI at a running server: redis://[user@]host:port/db", e);
        }
        return new StorageException(location + ": " + what + ": " + e.getMessage(), e);
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof JedisAccessControlException || m.startsWith("WRONGPASS") || m.startsWith("NOAUTH")
                    || m.contains("invalid password") || m.contains("invalid username-password")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
