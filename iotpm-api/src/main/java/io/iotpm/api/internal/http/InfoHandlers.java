package io.iotpm.api.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.alerts.Alert;
import io.iotpm.alerts.Priority;
import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.Json;
import io.iotpm.core.Channel;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.DeviceInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Health, statistics, model information, thresholds and the OpenAPI document. */
final class InfoHandlers {

    static final String VERSION = versionOrDev();
    /** The OpenAPI document beside the dashboard, where hosts and tests have always found it. */
    private static final String OPENAPI_RESOURCE = "/io/iotpm/api/openapi.json";

    private final ApiContext api;
    private final byte[] openApi;
    private volatile byte[] servedOpenApi;

    InfoHandlers(ApiContext api) {
        this.api = api;
        this.openApi = loadOpenApi();
    }

    record Health(String status, String timestamp, String version) {
    }

    record Summary(int totalDevices, long totalReadings, Map<String, Integer> devicesByStatus,
                   Double averageHealthScore, List<String> devicesNeedingAttention, Integer activeAlerts,
                   Map<String, Integer> activeAlertsByPriority, String timestamp) {
    }

    record ChannelView(String name, String unit, double nominal, double normalMin, double normalMax,
                       double physicalMin, double physicalMax, boolean missingAllowed) {
    }

    record Thresholds(String schema, List<ChannelView> channels, double warningBelow, double criticalBelow) {
    }

    // minHistory: the shortest window the model takes (padded up to sequenceLength), so clients know
    // when a new device can be scored.
    record ModelInfo(boolean loaded, String type, Integer sequenceLength, Integer minHistory, String schema,
                     List<String> channels) {
    }

    void register(RoutesConfig r) {
        r.get("/api/health", this::health, ServerSetup.Access.PUBLIC);
        r.get(ApiServer.OPENAPI_PATH, this::openApi, ServerSetup.Access.PUBLIC);
        r.get("/api/stats/summary", this::summary, Role.VIEWER);
        r.get("/api/thresholds", this::thresholds, Role.VIEWER);
        r.get("/api/model", this::model, Role.VIEWER);
    }

    private void health(Context ctx) {
        ctx.json(new Health("healthy", api.settings.clock().instant().toString(), VERSION));
    }

    private void openApi(Context ctx) {
        byte[] doc = servedOpenApi;
        if (doc == null) {
            doc = filtered(openApi, api.routes.get());
            servedOpenApi = doc;
        }
        ctx.contentType("application/json").result(doc);
    }

    /** The full document without the operations this server did not register (features not configured). */
    static byte[] filtered(byte[] full, List<String> routes) {
        try {
            ObjectNode doc =
                    (ObjectNode) Json.MAPPER.readTree(full);
            ObjectNode paths =
                    (ObjectNode) doc.get("paths");
            Set<String> registered = new HashSet<>(routes);
            for (String path : new ArrayList<>(iterable(paths.fieldNames()))) {
                ObjectNode ops = (ObjectNode) paths.get(path);
                for (String method : new ArrayList<>(iterable(ops.fieldNames()))) {
                    if (!registered.contains(method.toUpperCase(Locale.ROOT) + " " + path)) {
                        ops.remove(method);
                    }
                }
                if (ops.isEmpty()) {
                    paths.remove(path);
                }
            }
            return Json.MAPPER.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private void summary(Context ctx) {
        List<DeviceInfo> devices = api.settings.storage().devices();
        Map<HealthStatus, Integer> byStatus = new EnumMap<>(HealthStatus.class);
        for (HealthStatus s : HealthStatus.values()) {
            byStatus.put(s, 0);
        }
        long readings = 0;
        double healthSum = 0;
        int healthN = 0;
        List<String> attention = new ArrayList<>();
        for (DeviceInfo d : devices) {
            readings += d.readingCount();
            List<SensorReading> last = api.settings.storage().latest(d.deviceId(), 1);
            HealthStatus s = last.isEmpty() ? HealthStatus.UNKNOWN : last.get(0).status();
            byStatus.merge(s, 1, Integer::sum);
            if (!last.isEmpty() && !Double.isNaN(last.get(0).healthScore())) {
                healthSum += last.get(0).healthScore();
                healthN++;
            }
            if (s == HealthStatus.WARNING || s == HealthStatus.CRITICAL || s == HealthStatus.FAILED) {
                attention.add(d.deviceId());
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        byStatus.forEach((k, v) -> counts.put(k.name(), v));
        Integer active = null;
        Map<String, Integer> byPriority = null;
        if (api.settings.alerts() != null) {
            byPriority = new LinkedHashMap<>();
            for (Priority p : Priority.values()) {
                byPriority.put(p.name(), 0);
            }
            List<Alert> open = api.settings.alerts().active();
            for (Alert a : open) {
                byPriority.merge(a.priority().name(), 1, Integer::sum);
            }
            active = open.size();
        }
        ctx.json(new Summary(devices.size(), readings, counts, healthN == 0 ? null : healthSum / healthN, attention,
                active, byPriority, api.settings.clock().instant().toString()));
    }

    private void thresholds(Context ctx) {
        SensorSchema s = api.settings.schema();
        List<ChannelView> channels = new ArrayList<>();
        for (Channel c : s.channels()) {
            channels.add(new ChannelView(c.name(), c.unit(), c.nominal(), c.normalMin(), c.normalMax(),
                    c.physicalMin(), c.physicalMax(), c.missingAllowed()));
        }
        ctx.json(new Thresholds(s.name(), channels, HealthStatus.WARNING_BELOW, HealthStatus.CRITICAL_BELOW));
    }

    private void model(Context ctx) {
        Predictor p = api.predictor();
        SensorSchema s = api.settings.schema();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            names.add(s.channelName(i));
        }
        ctx.json(new ModelInfo(p != null, p == null ? null : p.getClass().getSimpleName(),
                p == null ? null : p.sequenceLength(), p == null ? null : p.minHistory(), s.name(), names));
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = InfoHandlers.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the iotpm-api jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${version}", VERSION).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String versionOrDev() {
        String v = InfoHandlers.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
