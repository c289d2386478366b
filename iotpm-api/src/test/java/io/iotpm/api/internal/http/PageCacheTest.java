package io.iotpm.api.internal.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageCacheTest {

    @Test
    void manyDistinctPages_neverDropAHotPageAllAtOnce() {
        PageCache cache = new PageCache();
        PageCache.Key hot = new PageCache.Key("PUMP_001", 100);
        byte[] body = new byte[32 << 10];
        cache.put(hot, "e1", body);
        int missing = 0;
        for (int limit = 1; limit <= 3 * PageCache.MAX_BYTES / body.length; limit++) {
            cache.put(new PageCache.Key("PUMP_002", limit), "e", body);
            if (cache.get(hot, "e1") == null) {
                missing++;
                cache.put(hot, "e1", body);
            }
        }
        assertThat(missing).as("pages that found the hot page evicted").isZero();
        assertThat(cache.get(hot, "other-etag")).isNull();
    }
}
