package io.iotpm.api.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the API finds users at login and token refresh. Implement it to use a host's own directory
 * (LDAP, a database); {@link #of(Collection)} and {@link #fromEnv()} cover configuration.
 * Implementations are safe for concurrent use.
 */
public interface UserStore {

    /** Environment variable read by {@link #fromEnv()}. */
    String ENV_VARIABLE = "IOTPM_USERS";

    /**
     * @param username the name given at login (already checked against the username alphabet)
     * @return the user, or empty when there is none
     */
    Optional<User> find(String username);

    /**
     * @param users the users; names must be unique
     * @return an immutable store of them
     * @throws IllegalArgumentException on a duplicate username
     */
    static UserStore of(Collection<User> users) {
        Map<String, User> byName = new HashMap<>();
        for (User u : users) {
            if (byName.putIfAbsent(u.username(), u) != null) {
                throw new IllegalArgumentException("duplicate username '" + u.username() + "'");
            }
        }
        Map<String, User> copy = Map.copyOf(byName);
        return new UserStore() {
            @Override
            public Optional<User> find(String username) {
                return Optional.ofNullable(copy.get(username));
            }

            @Override
            public String toString() {
                return "UserStore" + copy.values();
            }
        };
    }

    /** @see #of(Collection) */
    static UserStore of(User... users) {
        return of(List.of(users));
    }

    /**
     * Reads users from the {@value #ENV_VARIABLE} environment variable.
     *
     * @return the store
     * @throws IllegalArgumentException if the variable is missing or malformed (see {@link #parse(String)})
     */
    static UserStore fromEnv() {
        return fromVariable(System::getenv);
    }

    /**
     * Reads users from {@value #ENV_VARIABLE} looked up in {@code variables} (for tests and hosts with
     * their own configuration source).
     *
     * @param variables variable name → value, or {@code null} when unset
     * @return the store
     * @throws IllegalArgumentException if the variable is missing or malformed
     */
    static UserStore fromVariable(Function<String, String> variables) {
        String spec = variables.apply(ENV_VARIABLE);
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(ENV_VARIABLE + " is not set; expected 'name:role:hash' entries"
                    + " separated by ';' (hash from PasswordHasher.hash)");
        }
        return parse(spec);
    }

    /**
     * Parses {@code name:role:hash[;name:role:hash...]}, where role is {@code admin}, {@code operator}
     * or {@code viewer} and hash comes from {@link PasswordHasher#hash(char[])} (it contains no ':' or ';').
     *
     * @param spec the users
     * @return the store
     * @throws IllegalArgumentException naming the malformed entry
     */
    static UserStore parse(String spec) {
        List<User> users = new ArrayList<>();
        int i = 0;
        for (String entry : spec.split(";")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            String[] f = e.split(":", 3);
            if (f.length != 3) {
                throw new IllegalArgumentException("user entry " + i + " must be 'name:role:hash', but has "
                        + f.length + " field(s)");
            }
            try {
                users.add(new User(f[0], f[2], Role.fromId(f[1])));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("user entry " + i + " ('" + f[0] + "'): " + ex.getMessage(), ex);
            }
            i++;
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no users in the user specification");
        }
        return of(users);
    }
}
