package io.iotpm.api.auth;

import io.iotpm.core.DeviceIds;

import java.util.Objects;

/**
 * A user who may log in to the API.
 *
 * @param username     {@code [A-Za-z0-9_.:-]{1,64}}, the same alphabet as device ids
 * @param passwordHash a hash from {@link PasswordHasher#hash(char[])}, never a clear-text password
 * @param role         what the user may do
 */
public record User(String username, String passwordHash, Role role) {

    /** @throws IllegalArgumentException on an invalid username or a password hash this library cannot verify */
    public User {
        if (!DeviceIds.isValid(username)) {
            throw new IllegalArgumentException("username may contain only letters, digits, '_', '.', ':' and '-'"
                    + " (1 to 64 characters), but was '" + username + "'");
        }
        PasswordHasher.requireValidHash(passwordHash);
        Objects.requireNonNull(role, "role");
    }

    /**
     * Creates a user by hashing a clear-text password (slow: {@link PasswordHasher}).
     *
     * @param username the username
     * @param password the clear-text password; not retained
     * @param role     the role
     * @return the user
     */
    public static User withPassword(String username, char[] password, Role role) {
        return new User(username, PasswordHasher.hash(password), role);
    }

    @Override
    public String toString() {
        return "User[" + username + ", " + role.id() + "]";
    }
}
