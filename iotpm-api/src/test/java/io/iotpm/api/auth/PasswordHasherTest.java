package io.iotpm.api.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {

    @Test
    void hash_verifiesTheRightPasswordOnly_andSaltsEachHash() {
        String h1 = PasswordHasher.hash("s3cret".toCharArray());
        String h2 = PasswordHasher.hash("s3cret".toCharArray());
        assertThat(h1).startsWith("pbkdf2-sha256$600000$").isNotEqualTo(h2);
        assertThat(PasswordHasher.verify("s3cret".toCharArray(), h1)).isTrue();
        assertThat(PasswordHasher.verify("s3cret!".toCharArray(), h1)).isFalse();
    }

    @Test
    void verify_refusesWeakOrMalformedHashes() {
        String h = PasswordHasher.hash("pw".toCharArray());
        String weak = h.replace("$600000$", "$1000$");
        assertThatThrownBy(() -> PasswordHasher.verify("pw".toCharArray(), weak))
                .hasMessageContaining("at least 600000").hasMessageContaining("1000");
        assertThatThrownBy(() -> PasswordHasher.requireValidHash("password123"))
                .hasMessageContaining("pbkdf2-sha256$");
        assertThatThrownBy(() -> PasswordHasher.hash(new char[0])).hasMessageContaining("empty");
    }

    @Test
    void userStore_parsesNameRoleHashEntries() {
        String h = PasswordHasher.hash("pw".toCharArray());
        UserStore s = UserStore.parse("ann:admin:" + h + "; bob:viewer:" + h);
        assertThat(s.find("ann")).hasValueSatisfying(u -> assertThat(u.role()).isEqualTo(Role.ADMIN));
        assertThat(s.find("bob")).hasValueSatisfying(u -> assertThat(u.role()).isEqualTo(Role.VIEWER));
        assertThat(s.find("carl")).isEmpty();
        assertThatThrownBy(() -> UserStore.parse("ann:root:" + h)).hasMessageContaining("'root'");
        assertThatThrownBy(() -> UserStore.parse("ann:admin:password123")).hasMessageContaining("entry 0");
        assertThatThrownBy(() -> UserStore.parse("ann:admin:" + h + ";ann:viewer:" + h)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> UserStore.fromVariable(k -> null)).hasMessageContaining(UserStore.ENV_VARIABLE);
        assertThat(s.toString()).doesNotContain(h);
    }
}
