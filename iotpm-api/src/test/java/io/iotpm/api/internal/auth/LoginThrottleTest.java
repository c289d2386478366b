package io.iotpm.api.internal.auth;

import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void burstOfDistinctUsernames_doesNotUnthrottleVictims() {
        // A bound below the burst, so the burst really meets the size bound.
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), clock, 10_000);
        for (int v = 0; v < 40; v++) {
            for (int i = 0; i < 5; i++) {
                throttle.recordFailure("victim" + v, "10.0.0.1");
            }
            assertThat(throttle.retryAfterSeconds("victim" + v, "10.0.0.1")).isPositive();
        }
        // 60,000 one-off usernames, each from its own address so no address budget stops the burst early.
        for (int k = 0; k < 60_000; k++) {
            throttle.recordFailure("spray" + k, "10.1." + (k >> 8) + "." + (k & 255));
        }
        for (int v = 0; v < 40; v++) {
            assertThat(throttle.retryAfterSeconds("victim" + v, "10.0.0.1")).as("victim %d", v).isPositive();
        }
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(2 * 10_000);
    }

    @Test
    void burstBeyondTheDefaultBound_keepsVictimsThrottled() {
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), clock);
        for (int v = 0; v < 40; v++) {
            for (int i = 0; i < 5; i++) {
                throttle.recordFailure("victim" + v, "10.0.0.1");
            }
        }
        for (int k = 0; k < LoginThrottle.MAX_KEYS + 50_000; k++) {
            throttle.recordFailure("spray" + k, "10.2." + (k >> 8) + "." + (k & 255));
        }
        for (int v = 0; v < 40; v++) {
            assertThat(throttle.retryAfterSeconds("victim" + v, "10.0.0.1")).as("victim %d", v).isPositive();
        }
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(2L * LoginThrottle.MAX_KEYS);
    }

    @Test
    void failuresPerAddress_throttleEveryUsernameFromThatAddress() {
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), clock);
        int budget = 5 * LoginThrottle.ADDRESS_FACTOR;
        for (int k = 0; k < budget; k++) {
            assertThat(throttle.retryAfterSeconds("user" + k, "10.0.0.9")).isZero();
            throttle.recordFailure("user" + k, "10.0.0.9");
        }
        assertThat(throttle.retryAfterSeconds("someone-new", "10.0.0.9")).isBetween(1L, 61L);
        assertThat(throttle.retryAfterSeconds("someone-new", "10.0.0.10")).isZero();
    }

    @Test
    void failuresExpireAfterTheWindow() {
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(1), clock);
        throttle.recordFailure("a", "10.0.0.1");
        throttle.recordFailure("a", "10.0.0.1");
        assertThat(throttle.retryAfterSeconds("a", "10.0.0.1")).isPositive();
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.retryAfterSeconds("a", "10.0.0.1")).isZero();
    }
}
