package io.iotpm.storage.redis;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import redis.clients.jedis.params.ZRangeParams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The binary members of the per-device sorted sets. Every member starts with a 12-byte time key
 * (epoch seconds with the sign bit flipped, then nanoseconds, both big-endian), so Redis's
 * byte-wise lexicographic order of members is time order, and all members of one instant share a
 * prefix that one {@code ZREMRANGEBYLEX} removes. A reading member continues with the health score
 * and the channel values as IEEE 754 doubles; an event member with a kind byte and the detail in UTF-8.
 */
final class RedisCodec {

    /** Bytes of the time key every member starts with. */
    static final int TIME_BYTES = 12;

    private static final byte FAILURE = 'F';
    private static final byte MAINTENANCE = 'M';

    private RedisCodec() {
    }

    /** @return the 12-byte time key of an instant */
    static byte[] timeKey(Instant t) {
        return ByteBuffer.allocate(TIME_BYTES).putLong(t.getEpochSecond() ^ Long.MIN_VALUE).putInt(t.getNano()).array();
    }

    /** @return the instant a member starts with */
    static Instant time(byte[] member) {
        return time(ByteBuffer.wrap(member));
    }

    private static Instant time(ByteBuffer b) {
        long seconds = b.getLong() ^ Long.MIN_VALUE;
        return Instant.ofEpochSecond(seconds, b.getInt());
    }

    /** @return the inclusive lexicographic bound {@code [key} of ZRANGEBYLEX */
    static byte[] inclusive(Instant t) {
        return bound((byte) '[', t);
    }

    /** @return the exclusive lexicographic bound {@code (key}: members of instants before {@code t} */
    static byte[] before(Instant t) {
        return bound((byte) '(', t);
    }

    /** @return the newest {@code n} members, newest first (ZRANGE BYLEX REV takes the upper bound first) */
    static ZRangeParams newest(int n) {
        return ZRangeParams.zrangeByLexParams(RedisKeys.PLUS, RedisKeys.MINUS).rev().limit(0, n);
    }

    /** @return the members of instants in {@code [from, to)}, oldest first */
    static ZRangeParams between(Instant from, Instant to) {
        return ZRangeParams.zrangeByLexParams(inclusive(from), before(to));
    }

    private static byte[] bound(byte kind, Instant t) {
        byte[] key = timeKey(t);
        byte[] out = new byte[key.length + 1];
        out[0] = kind;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** @return the reading as a member: time key, health score, values */
    static byte[] reading(SensorReading r) {
        int n = r.schema().size();
        ByteBuffer b = ByteBuffer.allocate(TIME_BYTES + 8 * (n + 1));
        b.put(timeKey(r.timestamp()));
        b.putDouble(r.healthScore());
        for (int i = 0; i < n; i++) {
            b.putDouble(r.value(i));
        }
        return b.array();
    }

    /**
     * @return the reading a member encodes
     * @throws IllegalStateException when the member does not fit the schema (not written by this format)
     */
    static SensorReading reading(String deviceId, SensorSchema schema, byte[] member) {
        int n = schema.size();
        if (member.length != TIME_BYTES + 8 * (n + 1)) {
            throw new IllegalStateException("a stored reading of device '" + deviceId + "' has " + member.length
                    + " bytes, but schema '" + schema.name() + "' needs " + (TIME_BYTES + 8 * (n + 1)));
        }
        ByteBuffer b = ByteBuffer.wrap(member);
        Instant t = time(b);
        double health = b.getDouble();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = b.getDouble();
        }
        return SensorReading.of(deviceId, t, schema, values, health);
    }

    /** @return the event as a member: time key, kind byte, detail */
    static byte[] event(DeviceEvent e) {
        byte[] detail = e.detail().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(TIME_BYTES + 1 + detail.length).put(timeKey(e.timestamp()))
                .put(e instanceof FailureEvent ? FAILURE : MAINTENANCE).put(detail).array();
    }

    /** @return the event a member encodes */
    static DeviceEvent event(String deviceId, byte[] member) {
        ByteBuffer b = ByteBuffer.wrap(member);
        Instant t = time(b);
        byte kind = b.get();
        String detail = new String(Arrays.copyOfRange(member, TIME_BYTES + 1, member.length), StandardCharsets.UTF_8);
        return kind == FAILURE ? new FailureEvent(deviceId, t, detail) : new MaintenanceEvent(deviceId, t, detail);
    }
}
