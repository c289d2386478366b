package io.iotpm.api.internal.http;

import io.iotpm.api.auth.PasswordHasher;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.core.DeviceIds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import io.iotpm.api.internal.auth.LoginGate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** {@code /api/auth/*}: login, token refresh, logout and "who am I". */
final class AuthHandlers {

    private static final int MAX_PASSWORD_CHARS = 1024;

    /** Verified for unknown users so that a login for a missing user costs as much as a wrong password. */
    private static final class Dummy {
        static final String HASH = PasswordHasher.hash("not-a-real-password".toCharArray());
    }

    private final ApiContext api;
    /** PBKDF2 is deliberately slow: half the cores at most, shared out fairly among client addresses. */
    private final LoginGate gate = new LoginGate(LoginGate.defaultPermits(), Duration.ofSeconds(10));

    AuthHandlers(ApiContext api) {
        this.api = api;
    }

    record LoginRequest(String username, String password) {
    }

    record RefreshRequest(String refreshToken) {
    }

    record TokenResponse(String token, String refreshToken, String tokenType, long expiresIn, UserView user) {
    }

    record UserView(String username, String role) {
    }

    void register(RoutesConfig r) {
        r.post("/api/auth/login", this::login, ServerSetup.Access.PUBLIC);
        r.post("/api/auth/refresh", this::refresh, ServerSetup.Access.PUBLIC);
        r.post("/api/auth/logout", this::logout, ServerSetup.Access.PUBLIC);
        r.get("/api/auth/me", this::me, Role.VIEWER);
    }

    private void login(Context ctx) throws InterruptedException {
        LoginRequest req = Json.read(ctx.bodyAsBytes(), LoginRequest.class);
        if (req.username() == null) {
            throw ApiException.badRequest("username", "missing field 'username'");
        }
        if (req.password() == null) {
            throw ApiException.badRequest("password", "missing field 'password'");
        }
        if (!DeviceIds.isValid(req.username())) {
            throw ApiException.badRequest("username", "field 'username' may contain only letters, digits, '_', '.',"
                    + " ':' and '-' (1 to 64 characters)");
        }
        if (req.password().isEmpty() || req.password().length() > MAX_PASSWORD_CHARS) {
            throw ApiException.badRequest("password", "field 'password' must be 1 to " + MAX_PASSWORD_CHARS + " characters");
        }
        String address = ctx.ip();
        refuseIfThrottled(ctx, req.username(), address);
        Optional<User> user = api.settings.users().find(req.username());
        boolean ok;
        LoginGate.Permit permit = gate.enter(address);
        char[] password = req.password().toCharArray();
        try {
            // Logins that queued before this address was throttled are refused here, still without hashing.
            refuseIfThrottled(ctx, req.username(), address);
            ok = PasswordHasher.verify(password, user.map(User::passwordHash).orElse(Dummy.HASH)) && user.isPresent();
            if (!ok) {
                // Counted before the address's next login gets its turn, so that one sees this failure.
                api.throttle.recordFailure(req.username(), address);
            }
        } finally {
            permit.close();
            Arrays.fill(password, '\0');
        }
        if (!ok) {
            throw ApiException.unauthorized("invalid username or password");
        }
        api.throttle.recordSuccess(req.username(), address);
        ctx.json(tokens(user.get()));
    }

    private void refuseIfThrottled(Context ctx, String username, String address) {
        long retry = api.throttle.retryAfterSeconds(username, address);
        if (retry > 0) {
            ctx.header("Retry-After", Long.toString(retry));
            throw new ApiException(429, "too_many_requests", "too many failed logins for '" + username
                    + "' or from this address; retry in " + retry + " s", null);
        }
    }

    private void refresh(Context ctx) {
        RefreshRequest req = Json.read(ctx.bodyAsBytes(), RefreshRequest.class);
        if (req.refreshToken() == null) {
            throw ApiException.badRequest("refresh_token", "missing field 'refresh_token'");
        }
        String username = api.tokens.consumeRefresh(req.refreshToken());
        // The role is read again: a user removed or demoted since login gets no token, or the new role.
        User user = api.settings.users().find(username)
                .orElseThrow(() -> ApiException.unauthorized("user of the refresh token no longer exists"));
        ctx.json(tokens(user));
    }

    private void logout(Context ctx) {
        RefreshRequest req = Json.read(ctx.bodyAsBytes(), RefreshRequest.class);
        if (req.refreshToken() == null) {
            throw ApiException.badRequest("refresh_token", "missing field 'refresh_token'");
        }
        api.tokens.revokeRefresh(req.refreshToken());
        ctx.status(204);
    }

    private void me(Context ctx) {
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        ctx.json(new UserView(p.username(), p.role().id()));
    }

    private TokenResponse tokens(User user) {
        TokenService.Tokens t = api.tokens.issue(user);
        return new TokenResponse(t.accessToken(), t.refreshToken(), "Bearer", t.expiresInSeconds(),
                new UserView(user.username(), user.role().id()));
    }
}
