package io.iotpm.api.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Failure times per key in a sliding window, with a limit. Keys below the limit and keys at it live in
 * two separate Caffeine caches, each bounded and each key expiring one window after its last failure:
 * a burst of one-off keys can only displace other keys below the limit, never a throttled one, and
 * reaching the throttled cache costs {@code limit} failures per key. Nothing is ever cleared at once.
 */
final class FailureWindow {

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Failures> counting;
    private final Cache<String, Failures> throttled;

    FailureWindow(int limit, Duration window, Clock clock, int maxKeys) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.counting = cache(window, clock, maxKeys);
        this.throttled = cache(window, clock, maxKeys);
    }

    private static Cache<String, Failures> cache(Duration window, Clock clock, int maxKeys) {
        // Maintenance on the calling thread: no executor threads to stop, and deterministic tests.
        return Caffeine.newBuilder().maximumSize(maxKeys).expireAfterWrite(window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    /** @return seconds until the key may try again, or 0 when it may try now */
    long retryAfterSeconds(String key) {
        Failures f = throttled.getIfPresent(key);
        return f == null ? 0 : f.retryAfterSeconds(clock.instant(), window, limit);
    }

    void recordFailure(String key) {
        Instant now = clock.instant();
        // compute() writes the entry again, so it expires one window after its latest failure.
        if (throttled.asMap().computeIfPresent(key, (k, f) -> f.add(now, window, limit)) != null) {
            return;
        }
        Failures f = counting.asMap().compute(key, (k, old) -> (old != null ? old : new Failures()).add(now, window, limit));
        if (f.size() >= limit) {
            throttled.asMap().merge(key, f, (a, b) -> a.add(now, window, limit));
            counting.invalidate(key);
        }
    }

    void forget(String key) {
        counting.invalidate(key);
        throttled.invalidate(key);
    }

    long size() {
        counting.cleanUp();
        throttled.cleanUp();
        return counting.estimatedSize() + throttled.estimatedSize();
    }

    /** Failure times of one key, oldest first, at most {@code limit} of them. */
    private static final class Failures {
        private final Deque<Instant> times = new ArrayDeque<>();

        synchronized Failures add(Instant now, Duration window, int limit) {
            prune(now, window);
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
            return this;
        }

        synchronized int size() {
            return times.size();
        }

        synchronized long retryAfterSeconds(Instant now, Duration window, int limit) {
            prune(now, window);
            if (times.size() < limit) {
                return 0;
            }
            Instant free = times.peekFirst().plus(window);
            return Math.max(1, Duration.between(now, free).toSeconds() + 1);
        }

        private void prune(Instant now, Duration window) {
            Instant cutoff = now.minus(window);
            while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
                times.removeFirst();
            }
        }
    }
}
