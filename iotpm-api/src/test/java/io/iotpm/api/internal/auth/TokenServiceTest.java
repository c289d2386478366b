package io.iotpm.api.internal.auth;

import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.internal.ApiException;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {

    private static final byte[] SECRET = "test-secret-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final User USER = new User("vera", "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA$"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Role.VIEWER);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void verifiedTokenCache_keepsAHotTokenWhenManyOthersArrive() {
        TokenService tokens = new TokenService(SECRET, clock, Duration.ofMinutes(15), Duration.ofDays(7));
        String hot = tokens.issue(USER).accessToken();
        for (int i = 0; i < 20; i++) {
            tokens.verifyAccess(hot);
        }
        int missing = 0;
        for (int i = 0; i < 12_000; i++) {
            tokens.verifyAccess(tokens.issue(USER).accessToken());
            if (!tokens.isCached(hot)) {
                missing++;
            }
            if (i % 100 == 0) {
                tokens.verifyAccess(hot);
            }
        }
        assertThat(missing).as("one-off tokens that found the hot token evicted").isZero();
        assertThat(tokens.cachedTokens()).isLessThanOrEqualTo(TokenService.MAX_VERIFIED);
    }

    @Test
    void validlySignedTokenLivingLongerThanTheAccessLifetime_isRejected() {
        TokenService tokens = new TokenService(SECRET, clock, Duration.ofMinutes(15), Duration.ofDays(7));
        Instant now = clock.instant();
        String tenYears = JWT.create().withIssuer("iotpm").withSubject("vera").withClaim("role", "admin")
                .withClaim("typ", "access").withIssuedAt(now).withExpiresAt(now.plus(Duration.ofDays(3650)))
                .sign(Algorithm.HMAC256(SECRET));
        assertThatThrownBy(() -> tokens.verifyAccess(tenYears)).isInstanceOf(ApiException.class)
                .hasMessageContaining("lifetime");
        String noIssuedAt = JWT.create().withIssuer("iotpm").withSubject("vera").withClaim("role", "admin")
                .withClaim("typ", "access").withExpiresAt(now.plus(Duration.ofMinutes(5)))
                .sign(Algorithm.HMAC256(SECRET));
        assertThatThrownBy(() -> tokens.verifyAccess(noIssuedAt)).isInstanceOf(ApiException.class);
        String refresh = JWT.create().withIssuer("iotpm").withSubject("vera").withClaim("role", "admin")
                .withClaim("typ", "refresh").withJWTId("x").withIssuedAt(now).withExpiresAt(now.plus(Duration.ofDays(3650)))
                .sign(Algorithm.HMAC256(SECRET));
        assertThatThrownBy(() -> tokens.consumeRefresh(refresh)).isInstanceOf(ApiException.class)
                .hasMessageContaining("lifetime");
        assertThat(tokens.verifyAccess(tokens.issue(USER).accessToken()).username()).isEqualTo("vera");
    }
}
