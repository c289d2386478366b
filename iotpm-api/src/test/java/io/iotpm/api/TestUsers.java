package io.iotpm.api;

import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;

/** Users shared by the tests: hashing at 600,000 PBKDF2 iterations is slow, so it happens once per JVM. */
final class TestUsers {

    static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";
    static final String ADMIN_PW = "admin-pw-1";
    static final String OPERATOR_PW = "operator-pw-1";
    static final String VIEWER_PW = "viewer-pw-1";

    private static UserStore store;

    private TestUsers() {
    }

    static synchronized UserStore store() {
        if (store == null) {
            store = UserStore.of(
                    User.withPassword("alice", ADMIN_PW.toCharArray(), Role.ADMIN),
                    User.withPassword("oscar", OPERATOR_PW.toCharArray(), Role.OPERATOR),
                    User.withPassword("vera", VIEWER_PW.toCharArray(), Role.VIEWER));
        }
        return store;
    }
}
