package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageLocation;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code GET /api/storage}: which backend holds the data, how much, and the retention the host applies. */
final class StorageHandlers {

    /** Option names whose values are never shown. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|credential|auth).*");
    /** {@code //user:password@host...}: the user info is never shown. */
    private static final Pattern USER_INFO = Pattern.compile("^//[^/?#]*@");
    static final String REDACTED = "***";

    private final ApiContext api;

    StorageHandlers(ApiContext api) {
        this.api = api;
    }

    record StorageInfo(String backend, String implementation, String location, int devices, long readings,
                       String lastReading, String retention, Double retentionDays, String alertStore) {
    }

    void register(RoutesConfig r) {
        r.get("/api/storage", this::info, Role.OPERATOR);
    }

    private void info(Context ctx) {
        StorageBackend storage = api.settings.storage();
        List<DeviceInfo> devices = storage.devices();
        long readings = 0;
        Instant last = null;
        for (DeviceInfo d : devices) {
            readings += d.readingCount();
            if (d.lastSeen() != null && (last == null || d.lastSeen().isAfter(last))) {
                last = d.lastSeen();
            }
        }
        String uri = api.settings.storageUri();
        String implementation = storage.getClass().getSimpleName();
        String backend = uri == null ? kindOf(implementation) : StorageLocation.parse(uri).scheme();
        Duration retention = api.settings.retention();
        ctx.json(new StorageInfo(backend, implementation, uri == null ? null : redact(uri), devices.size(), readings,
                last == null ? null : last.toString(), retention == null ? null : retention.toString(),
                retention == null ? null : retention.toSeconds() / 86_400.0,
                api.settings.alerts() == null ? null : api.settings.alerts().store().description()));
    }

    /** {@code SqliteStorage} → {@code sqlite}: a kind for a backend given without its URI. */
    static String kindOf(String simpleName) {
        String k = simpleName.replaceFirst("(Storage|Backend|StorageBackend)$", "");
        return (k.isEmpty() ? simpleName : k).toLowerCase(Locale.ROOT);
    }

    /**
     * The URI without credentials: user info and the values of secret-looking options become
     * {@value #REDACTED}; everything else is kept so an operator can tell where the data is.
     */
    static String redact(String uri) {
        StorageLocation loc = StorageLocation.parse(uri);
        String path = USER_INFO.matcher(loc.path()).replaceFirst("//" + REDACTED + "@");
        StringBuilder out = new StringBuilder(loc.scheme()).append(':').append(path);
        List<String> options = new ArrayList<>();
        for (Map.Entry<String, String> o : loc.options().entrySet()) {
            boolean secret = SECRET_OPTION.matcher(o.getKey()).matches();
            options.add(o.getKey() + "=" + (secret ? REDACTED : o.getValue()));
        }
        if (!options.isEmpty()) {
            out.append('?').append(String.join("&", options));
        }
        return out.toString();
    }
}
