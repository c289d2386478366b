package io.iotpm.storage.redis;

import java.nio.charset.StandardCharsets;

/** The store's key names, all under the key prefix and {@code iotpm:}, as bytes. */
final class RedisKeys {

    /** The lexicographic bound above every member. */
    static final byte[] PLUS = {'+'};
    /** The lexicographic bound below every member. */
    static final byte[] MINUS = {'-'};

    private final String prefix;
    private final byte[] meta;
    private final byte[] devices;
    private final byte[] readingsPrefix;
    private final byte[] eventsPrefix;

    RedisKeys(String keyPrefix) {
        this.prefix = keyPrefix;
        this.meta = bytes(keyPrefix + "iotpm:meta");
        this.devices = bytes(keyPrefix + "iotpm:devices");
        this.readingsPrefix = bytes(keyPrefix + "iotpm:r:");
        this.eventsPrefix = bytes(keyPrefix + "iotpm:e:");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the user's key prefix, possibly empty */
    String prefix() {
        return prefix;
    }

    byte[] meta() {
        return meta;
    }

    String metaName() {
        return prefix + "iotpm:meta";
    }

    byte[] devices() {
        return devices;
    }

    byte[] readingsPrefix() {
        return readingsPrefix;
    }

    byte[] eventsPrefix() {
        return eventsPrefix;
    }

    byte[] readings(String deviceId) {
        return bytes(prefix + "iotpm:r:" + deviceId);
    }

    byte[] events(String deviceId) {
        return bytes(prefix + "iotpm:e:" + deviceId);
    }
}
