package io.iotpm.api.internal.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per (username, client address) in a sliding window. Once a key has
 * {@code maxFailures} failures within {@code window}, further attempts are refused (HTTP 429) until
 * the oldest failure leaves the window, without checking the password, so a throttled attacker
 * learns nothing and costs no PBKDF2 work. A success clears the key.
 *
 * <p>The map is bounded: stale keys are dropped, and when it still overflows (an address spraying
 * usernames) the oldest half is discarded. Thread-safe.
 */
public final class LoginThrottle {

    private static final int MAX_KEYS = 50_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /**
     * @param maxFailures failures per key allowed within the window
     * @param window      the sliding window
     * @param clock       time source
     */
    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** @return seconds until the key may try again, or 0 when it may try now */
    public long retryAfterSeconds(String username, String address) {
        Deque<Instant> q = failures.get(key(username, address));
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            Instant now = clock.instant();
            prune(q, now);
            if (q.size() < maxFailures) {
                return 0;
            }
            Instant free = q.peekFirst().plus(window);
            return Math.max(1, Duration.between(now, free).toSeconds() + 1);
        }
    }

    /** Counts a failed login of the key. */
    public void recordFailure(String username, String address) {
        if (failures.size() >= MAX_KEYS) {
            evict();
        }
        Deque<Instant> q = failures.computeIfAbsent(key(username, address), k -> new ArrayDeque<>());
        synchronized (q) {
            Instant now = clock.instant();
            prune(q, now);
            q.addLast(now);
            while (q.size() > maxFailures) {
                q.removeFirst();
            }
        }
    }

    /** Forgets the key's failures after a successful login. */
    public void recordSuccess(String username, String address) {
        failures.remove(key(username, address));
    }

    private void prune(Deque<Instant> q, Instant now) {
        Instant cutoff = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
            q.removeFirst();
        }
    }

    private void evict() {
        Instant now = clock.instant();
        for (Iterator<Deque<Instant>> it = failures.values().iterator(); it.hasNext(); ) {
            Deque<Instant> q = it.next();
            synchronized (q) {
                prune(q, now);
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (failures.size() >= MAX_KEYS) {
            int drop = failures.size() / 2;
            for (Iterator<String> it = failures.keySet().iterator(); it.hasNext() && drop > 0; drop--) {
                it.next();
                it.remove();
            }
        }
    }

    private static String key(String username, String address) {
        return username + '\u0000' + address;
    }
}
