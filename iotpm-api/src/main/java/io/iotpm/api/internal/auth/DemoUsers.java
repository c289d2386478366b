package io.iotpm.api.internal.auth;

import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The demo-mode users, with the original system's {@code admin / password123}. Never used outside demo mode. */
public final class DemoUsers {

    static final List<String[]> CREDENTIALS = List.of(
            new String[] {"admin", "password123", "admin"},
            new String[] {"operator", "operator123", "operator"},
            new String[] {"viewer", "viewer123", "viewer"});

    private DemoUsers() {
    }

    /** @return the demo users {@code admin}, {@code operator} and {@code viewer} with their well-known passwords */
    public static UserStore create() {
        // Hash in parallel: three 600,000-iteration PBKDF2 runs would otherwise add a second to start-up.
        List<CompletableFuture<User>> users = CREDENTIALS.stream()
                .map(c -> CompletableFuture.supplyAsync(() -> User.withPassword(c[0], c[1].toCharArray(), Role.fromId(c[2]))))
                .toList();
        return UserStore.of(users.stream().map(CompletableFuture::join).toList());
    }
}
