package io.iotpm.api.internal.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code GET /api/storage} shows a storage URI: without credentials. */
class StorageHandlersTest {

    @Test
    void redact_removesUserInfoAndSecretOptionValues() {
        assertThat(StorageHandlers.redact("postgres://ops:s3cret@db.example.com:5432/iot?sslmode=require&password=hunter2&apiKey=abc"))
                .isEqualTo("postgres://***@db.example.com:5432/iot?sslmode=require&password=***&apiKey=***")
                .doesNotContain("s3cret").doesNotContain("hunter2").doesNotContain("abc");
        assertThat(StorageHandlers.redact("sqlite:data/iot@2.db?synchronous=normal"))
                .isEqualTo("sqlite:data/iot@2.db?synchronous=normal");
        assertThat(StorageHandlers.redact("csv:/var/lib/iotpm?auth_token=t0k")).isEqualTo("csv:/var/lib/iotpm?auth_token=***");
    }
}
