package io.iotpm.api.internal.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * Rendered "latest readings" pages, each stored with the validator (ETag) it was rendered for. A page
 * is served only while the caller's freshly computed validator still equals the stored one, so a
 * stale page is never returned for a change the validator sees. Bounded and expiring (Caffeine): pages
 * of at most {@value #MAX_PAGE_BYTES} bytes, {@value #MAX_BYTES} bytes in all, each dropped
 * {@link #IDLE} after its last use; when full, the least useful page leaves, never all at once.
 */
final class PageCache {

    static final long MAX_BYTES = 64L << 20;
    static final int MAX_PAGE_BYTES = 1 << 20;
    static final Duration IDLE = Duration.ofMinutes(10);

    record Key(String deviceId, int limit) {
    }

    private record Entry(String etag, byte[] body) {
    }

    // Maintenance on the calling thread: the cache starts no threads the server would have to stop.
    private final Cache<Key, Entry> pages = Caffeine.newBuilder().maximumWeight(MAX_BYTES)
            .weigher((Key k, Entry e) -> e.body().length + 64).expireAfterAccess(IDLE)
            .executor(Runnable::run).build();

    /** @return the cached body if it was rendered for exactly this validator, else {@code null} */
    byte[] get(Key key, String etag) {
        Entry e = pages.getIfPresent(key);
        return e != null && e.etag().equals(etag) ? e.body() : null;
    }

    void put(Key key, String etag, byte[] body) {
        if (body.length > MAX_PAGE_BYTES) {
            return;
        }
        pages.put(key, new Entry(etag, body));
    }
}
