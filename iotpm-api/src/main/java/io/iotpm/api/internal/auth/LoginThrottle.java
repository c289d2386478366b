package io.iotpm.api.internal.auth;

import java.time.Clock;
import java.time.Duration;

/**
 * Counts failed logins in a sliding window, per (username, client address) and per client address.
 * Once a (username, address) key has {@code maxFailures} failures within {@code window}, or an address
 * has {@value #ADDRESS_FACTOR}× that many over all usernames, further attempts are refused (HTTP 429)
 * until the oldest failure leaves the window, without checking the password: a throttled attacker
 * learns nothing and costs no PBKDF2 work, and spraying usernames from one address buys no extra tries.
 * A success clears its (username, address) key, not the address's count.
 *
 * <p>Bounded at {@value #MAX_KEYS} keys per tier (see {@link FailureWindow}): keys expire one window
 * after their last failure, and a burst of distinct usernames never displaces a throttled key, so it
 * cannot un-throttle anyone. Thread-safe.
 */
public final class LoginThrottle {

    /** Most keys each tier of each map keeps. */
    public static final int MAX_KEYS = 100_000;
    /** An address may fail this many times the per-username limit, over all usernames, per window. */
    public static final int ADDRESS_FACTOR = 4;

    private final FailureWindow byKey;
    private final FailureWindow byAddress;

    /**
     * @param maxFailures failures per (username, address) allowed within the window
     * @param window      the sliding window
     * @param clock       time source, also of the maps' expiry
     */
    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, clock, MAX_KEYS);
    }

    LoginThrottle(int maxFailures, Duration window, Clock clock, int maxKeys) {
        this.byKey = new FailureWindow(maxFailures, window, clock, maxKeys);
        this.byAddress = new FailureWindow(maxFailures * ADDRESS_FACTOR, window, clock, maxKeys);
    }

    /** @return seconds until the (username, address) may try again, or 0 when it may try now */
    public long retryAfterSeconds(String username, String address) {
        return Math.max(byAddress.retryAfterSeconds(address), byKey.retryAfterSeconds(key(username, address)));
    }

    /** Counts a failed login of the key and of its address. */
    public void recordFailure(String username, String address) {
        byKey.recordFailure(key(username, address));
        byAddress.recordFailure(address);
    }

    /** Forgets the (username, address) key's failures after a successful login. */
    public void recordSuccess(String username, String address) {
        byKey.forget(key(username, address));
    }

    /** @return how many (username, address) keys are tracked now (for tests and metrics) */
    public long trackedKeys() {
        return byKey.size();
    }

    private static String key(String username, String address) {
        return username + '\u0000' + address;
    }
}
