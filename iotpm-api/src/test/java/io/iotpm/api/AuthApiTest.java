package io.iotpm.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {

    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        server = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void login_returnsAccessAndRefreshTokenForValidCredentials() {
        ApiClient.Response r = client.post("/api/auth/login", null, "{\"username\":\"vera\",\"password\":\"viewer-pw-1\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("token").asText()).contains(".");
        assertThat(r.json().get("refresh_token").asText()).contains(".");
        assertThat(r.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.json().get("expires_in").asLong()).isEqualTo(900);
        assertThat(r.json().get("user").get("role").asText()).isEqualTo("viewer");
        ApiClient.Response me = client.get("/api/auth/me", r.json().get("token").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("vera");
    }

    @Test
    void login_rejectsWrongPasswordAndUnknownUserAlike() {
        ApiClient.Response wrong = client.post("/api/auth/login", null, "{\"username\":\"alice\",\"password\":\"nope\"}");
        ApiClient.Response unknown = client.post("/api/auth/login", null, "{\"username\":\"mallory\",\"password\":\"nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.json().get("message").asText()).isEqualTo(unknown.json().get("message").asText());
        assertThat(wrong.json().get("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void login_rejectsMissingFieldAndWrongTypeNamingTheField() {
        ApiClient.Response missing = client.post("/api/auth/login", null, "{\"username\":\"alice\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("password");
        ApiClient.Response wrongType = client.post("/api/auth/login", null, "{\"username\":\"alice\",\"password\":123}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).isEqualTo("password");
        ApiClient.Response unknown = client.post("/api/auth/login", null, "{\"username\":\"a\",\"password\":\"b\",\"admin\":true}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("admin");
        ApiClient.Response malformed = client.post("/api/auth/login", null, "{\"username\":\"alice\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void protectedEndpoint_withoutToken_is401() {
        ApiClient.Response r = client.get("/api/devices", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(client.send(client.request("/api/devices", null).header("Authorization", "Basic YTpi").GET()).status())
                .isEqualTo(401);
    }

    @Test
    void expiredToken_is401() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String token = JWT.create().withIssuer("iotpm").withSubject("alice").withClaim("role", "admin")
                .withClaim("typ", "access").withIssuedAt(Date.from(past)).withExpiresAt(Date.from(past.plusSeconds(900)))
                .sign(Algorithm.HMAC256(TestUsers.SECRET));
        ApiClient.Response r = client.get("/api/devices", token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("expired");
    }

    @Test
    void accessTokenExpiresAfterFifteenMinutes_evenOnceVerified() {
        MutableClock clock = new MutableClock(Instant.now());
        try (IotpmServer timed = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).clock(clock).build().start()) {
            ApiClient c = new ApiClient(timed);
            String token = c.login("vera", TestUsers.VIEWER_PW);
            assertThat(c.get("/api/auth/me", token).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(14));
            assertThat(c.get("/api/auth/me", token).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(2));
            ApiClient.Response expired = c.get("/api/auth/me", token);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("message").asText()).contains("expired");
        }
    }

    @Test
    void tamperedToken_is401() {
        String token = client.login("vera", TestUsers.VIEWER_PW);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"viewer\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(client.get("/api/auth/me", forged).status()).isEqualTo(401);
        assertThat(client.get("/api/auth/me", token + "x").status()).isEqualTo(401);
        assertThat(client.get("/api/auth/me", "not-a-jwt").status()).isEqualTo(401);
    }

    @Test
    void algNoneToken_is401() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String payload = b64("{\"iss\":\"iotpm\",\"sub\":\"alice\",\"role\":\"admin\",\"typ\":\"access\",\"exp\":" + exp + "}");
        assertThat(client.get("/api/auth/me", header + "." + payload + ".").status()).isEqualTo(401);
        String none = JWT.create().withIssuer("iotpm").withSubject("alice").withClaim("role", "admin")
                .withClaim("typ", "access").withExpiresAt(Date.from(Instant.now().plusSeconds(600))).sign(Algorithm.none());
        assertThat(client.get("/api/auth/me", none).status()).isEqualTo(401);
    }

    @Test
    void tokenOfAnotherAlgorithmWithTheSameSecret_is401() {
        String hs512 = JWT.create().withIssuer("iotpm").withSubject("alice").withClaim("role", "admin")
                .withClaim("typ", "access").withExpiresAt(Date.from(Instant.now().plusSeconds(600)))
                .sign(Algorithm.HMAC512(TestUsers.SECRET));
        assertThat(client.get("/api/auth/me", hs512).status()).isEqualTo(401);
    }

    @Test
    void refreshTokenIsNotAnAccessToken_andRotatesOnUse() {
        ApiClient.Response login = client.post("/api/auth/login", null, "{\"username\":\"oscar\",\"password\":\"operator-pw-1\"}");
        String refresh = login.json().get("refresh_token").asText();
        assertThat(client.get("/api/auth/me", refresh).status()).isEqualTo(401);

        ApiClient.Response r1 = client.post("/api/auth/refresh", null, "{\"refresh_token\":\"" + refresh + "\"}");
        assertThat(r1.status()).isEqualTo(200);
        assertThat(client.get("/api/auth/me", r1.json().get("token").asText()).status()).isEqualTo(200);
        ApiClient.Response replay = client.post("/api/auth/refresh", null, "{\"refresh_token\":\"" + refresh + "\"}");
        assertThat(replay.status()).isEqualTo(401);

        String next = r1.json().get("refresh_token").asText();
        assertThat(client.post("/api/auth/logout", null, "{\"refresh_token\":\"" + next + "\"}").status()).isEqualTo(204);
        assertThat(client.post("/api/auth/refresh", null, "{\"refresh_token\":\"" + next + "\"}").status()).isEqualTo(401);
    }

    @Test
    void accessTokenIsNotARefreshToken() {
        String access = client.login("vera", TestUsers.VIEWER_PW);
        assertThat(client.post("/api/auth/refresh", null, "{\"refresh_token\":\"" + access + "\"}").status()).isEqualTo(401);
    }

    @Test
    void viewerMayNotIngest_is403() {
        String token = client.login("vera", TestUsers.VIEWER_PW);
        ApiClient.Response r = client.post("/api/readings", token, "[]");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(r.json().get("message").asText()).contains("operator");
    }

    @Test
    void loginThrottle_answers429AfterFiveFailuresEvenForTheRightPassword() {
        // The window is one minute of the server's clock: a clock that stands still keeps the five failures (each a
        // full password hash, slow on a busy machine) inside it, so the test does not depend on the machine's speed.
        MutableClock clock = new MutableClock(Instant.now());
        try (IotpmServer timed = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).clock(clock).build().start()) {
            ApiClient c = new ApiClient(timed);
            for (int i = 0; i < 5; i++) {
                assertThat(c.post("/api/auth/login", null, "{\"username\":\"throttled\",\"password\":\"bad\"}").status())
                        .isEqualTo(401);
            }
            ApiClient.Response sixth = c.post("/api/auth/login", null, "{\"username\":\"throttled\",\"password\":\"bad\"}");
            assertThat(sixth.status()).isEqualTo(429);
            assertThat(sixth.json().get("error").asText()).isEqualTo("too_many_requests");
            assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(1L, 61L);
            // Another user from the same address is not affected.
            assertThat(c.post("/api/auth/login", null, "{\"username\":\"vera\",\"password\":\"viewer-pw-1\"}").status())
                    .isEqualTo(200);
            // Once the oldest failure leaves the window, the user may try again.
            clock.advance(Duration.ofSeconds(61));
            assertThat(c.post("/api/auth/login", null, "{\"username\":\"throttled\",\"password\":\"bad\"}").status())
                    .isEqualTo(401);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
