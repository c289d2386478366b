package io.iotpm.api.internal.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.internal.ApiException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Issues and verifies the API's JWTs with Auth0's java-jwt. The algorithm is pinned to HS256 with the
 * configured secret: the verifier rejects a token whose header names any other algorithm (including
 * {@code none}), a bad signature, a wrong issuer or token type, an expired token (no leeway), and a
 * token whose lifetime exceeds the configured one (no issue time, or an expiry further away than a token
 * issued now would get): a leaked secret or a forged long-lived token cannot outlive the policy.
 *
 * <p>Access tokens are short-lived and stateless. Refresh tokens rotate: each may be used once, and
 * a used or revoked refresh token id is remembered until its own expiry, so a stolen refresh token
 * that is replayed after the owner refreshed is refused.
 */
public final class TokenService {

    static final String ISSUER = "iotpm";
    /** Shortest HMAC key accepted, as HS256 asks. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final int MAX_REVOKED = 100_000;

    private final Algorithm algorithm;
    private final JWTVerifier accessVerifier;
    private final JWTVerifier refreshVerifier;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final SecureRandom random = new SecureRandom();
    /**
     * Access tokens this service verified, by their exact text. java-jwt's verification (JSON parsing,
     * a fresh Mac, claim checks) costs far more than the request it guards; a hit needs the identical
     * string that already passed pinned-algorithm verification, and still checks expiry. Bounded and
     * expiring (Caffeine): entries leave one by one, the least used first, never all at once.
     */
    private final Cache<String, Verified> verified;
    static final int MAX_VERIFIED = 10_000;

    private record Verified(Principal principal, Instant expires) {
    }

    /** Refresh token id → its expiry; ids in here are used or revoked. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    /**
     * @param secret     HMAC-SHA256 key, at least {@value #MIN_SECRET_BYTES} bytes
     * @param clock      time source of issue and expiry
     * @param accessTtl  access token lifetime
     * @param refreshTtl refresh token lifetime
     * @throws IllegalArgumentException if the secret is too short
     */
    public TokenService(byte[] secret, Clock clock, Duration accessTtl, Duration refreshTtl) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + MIN_SECRET_BYTES + " bytes, but was "
                    + secret.length);
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.verified = Caffeine.newBuilder().maximumSize(MAX_VERIFIED).expireAfterWrite(accessTtl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
        this.accessVerifier = verifier("access");
        this.refreshVerifier = verifier("refresh");
    }

    private JWTVerifier verifier(String type) {
        JWTVerifier.BaseVerification v = (JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withClaim("typ", type)
                .withClaimPresence("sub")
                .withClaimPresence("role")
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(0);
        return v.build(clock);
    }

    /**
     * An issued pair.
     *
     * @param accessToken      the short-lived bearer token
     * @param refreshToken     the single-use refresh token
     * @param expiresInSeconds lifetime of the access token
     */
    public record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    /**
     * Who a verified access token speaks for.
     *
     * @param username the user
     * @param role     the role the token grants
     */
    public record Principal(String username, Role role) {
    }

    /** @return a fresh access and refresh token for the user */
    public Tokens issue(User user) {
        Instant now = clock.instant();
        String access = JWT.create().withIssuer(ISSUER).withSubject(user.username())
                .withClaim("role", user.role().id()).withClaim("typ", "access")
                .withIssuedAt(now).withExpiresAt(now.plus(accessTtl)).withJWTId(newId())
                .sign(algorithm);
        String refresh = JWT.create().withIssuer(ISSUER).withSubject(user.username())
                .withClaim("role", user.role().id()).withClaim("typ", "refresh")
                .withIssuedAt(now).withExpiresAt(now.plus(refreshTtl)).withJWTId(newId())
                .sign(algorithm);
        return new Tokens(access, refresh, accessTtl.toSeconds());
    }

    /**
     * @return the principal of a valid access token
     * @throws ApiException 401 when the token is invalid, tampered, of another algorithm or expired
     */
    public Principal verifyAccess(String token) {
        Verified hit = verified.getIfPresent(token);
        if (hit != null) {
            if (clock.instant().isBefore(hit.expires())) {
                return hit.principal();
            }
            verified.invalidate(token);
            throw ApiException.unauthorized("access token has expired");
        }
        DecodedJWT jwt = verify(accessVerifier, token, "access token");
        requireLifetime(jwt, accessTtl, "access token");
        Principal p = principal(jwt);
        verified.put(token, new Verified(p, jwt.getExpiresAtAsInstant()));
        return p;
    }

    /**
     * Verifies a refresh token and marks it used (rotation): a second use fails.
     *
     * @return the username it was issued to
     * @throws ApiException 401 when invalid, expired, used or revoked
     */
    public String consumeRefresh(String token) {
        DecodedJWT jwt = verify(refreshVerifier, token, "refresh token");
        requireLifetime(jwt, refreshTtl, "refresh token");
        String id = jwt.getId();
        if (id == null) {
            throw ApiException.unauthorized("refresh token has no id");
        }
        purgeExpired();
        if (revoked.putIfAbsent(id, jwt.getExpiresAtAsInstant()) != null) {
            throw ApiException.unauthorized("refresh token was already used or revoked");
        }
        return jwt.getSubject();
    }

    /** Revokes a refresh token (logout); invalid tokens are ignored. */
    public void revokeRefresh(String token) {
        try {
            DecodedJWT jwt = refreshVerifier.verify(token);
            if (jwt.getId() != null) {
                purgeExpired();
                revoked.put(jwt.getId(), jwt.getExpiresAtAsInstant());
            }
        } catch (JWTVerificationException ignored) {
            // An invalid token grants nothing, so there is nothing to revoke.
        }
    }

    private DecodedJWT verify(JWTVerifier verifier, String token, String what) {
        try {
            return verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw ApiException.unauthorized(what + " has expired");
        } catch (JWTVerificationException e) {
            throw ApiException.unauthorized(what + " is invalid");
        }
    }

    /** Refuses a validly signed token that lives longer than this service would ever issue. */
    private void requireLifetime(DecodedJWT jwt, Duration ttl, String what) {
        Instant expires = jwt.getExpiresAtAsInstant();
        Instant issued = jwt.getIssuedAtAsInstant();
        if (expires.isAfter(clock.instant().plus(ttl)) || Duration.between(issued, expires).compareTo(ttl) > 0) {
            throw ApiException.unauthorized(what + " lifetime exceeds the maximum of " + ttl.toSeconds() + " s");
        }
    }

    private static Principal principal(DecodedJWT jwt) {
        try {
            return new Principal(jwt.getSubject(), Role.fromId(jwt.getClaim("role").asString()));
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("access token carries an unknown role");
        }
    }

    private void purgeExpired() {
        if (revoked.size() < MAX_REVOKED / 2) {
            return;
        }
        Instant now = clock.instant();
        for (Iterator<Instant> it = revoked.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(now)) {
                it.remove();
            }
        }
        if (revoked.size() >= MAX_REVOKED) {
            // Every id in here is still unexpired; refusing further refreshes is safer than forgetting ids.
            throw new ApiException(503, "unavailable", "too many outstanding revoked refresh tokens", null);
        }
    }

    boolean isCached(String token) {
        return verified.asMap().containsKey(token);
    }

    long cachedTokens() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
