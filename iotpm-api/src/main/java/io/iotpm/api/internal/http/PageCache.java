package io.iotpm.api.internal.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered "latest readings" pages, each stored with the validator (ETag) it was rendered for. A page
 * is served only while the caller's freshly computed validator still equals the stored one, so a
 * stale page is never returned for a change the validator sees. Bounded: at most {@value #MAX_ENTRIES}
 * pages of at most {@value #MAX_PAGE_BYTES} bytes; when full it starts over (cheap, and a cache that
 * size only fills when clients ask for many different limits).
 */
final class PageCache {

    static final int MAX_ENTRIES = 4096;
    static final int MAX_PAGE_BYTES = 1 << 20;

    record Key(String deviceId, int limit) {
    }

    private record Entry(String etag, byte[] body) {
    }

    private final Map<Key, Entry> pages = new ConcurrentHashMap<>();

    /** @return the cached body if it was rendered for exactly this validator, else {@code null} */
    byte[] get(Key key, String etag) {
        Entry e = pages.get(key);
        return e != null && e.etag().equals(etag) ? e.body() : null;
    }

    void put(Key key, String etag, byte[] body) {
        if (body.length > MAX_PAGE_BYTES) {
            return;
        }
        if (pages.size() >= MAX_ENTRIES) {
            pages.clear();
        }
        pages.put(key, new Entry(etag, body));
    }
}
