package io.iotpm.api.internal.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.SensorReading;
import io.iotpm.core.json.InvalidJsonException;
import io.iotpm.core.storage.DeviceInfo;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.StreamOverflowException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Devices, their data, events and ingest: {@code /api/devices}, {@code /api/devices/{id}/data},
 * {@code /api/devices/{id}/events}, {@code /api/readings}.
 */
final class DeviceHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);
    /** Upper bound of a range query when {@code to} is omitted: far enough for any clock, small enough for every store. */
    static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");
    static final int DEFAULT_LIMIT = 100;

    private final ApiContext api;
    private final StorageBackend storage;
    private final PageCache cache;

    DeviceHandlers(ApiContext api) {
        this.api = api;
        this.storage = api.settings.storage();
        this.cache = api.pageCache;
    }

    /** One row of {@code GET /api/devices}. */
    record DeviceView(String deviceId, String lastSeen, long readingCount, Double healthScore, String status) {
    }

    record DeviceList(List<DeviceView> devices, int count) {
    }

    record IngestResult(int accepted) {
    }

    /** One failure or maintenance event; {@code type} is {@link DeviceEvent#kind()}. */
    record EventView(String timestamp, String type, String detail) {
    }

    record EventList(String deviceId, int count, boolean truncated, List<EventView> events) {
    }

    void register(RoutesConfig r) {
        r.get("/api/devices", this::list, Role.VIEWER);
        r.get("/api/devices/{id}", this::one, Role.VIEWER);
        r.get("/api/devices/{id}/data", this::data, Role.VIEWER);
        r.get("/api/devices/{id}/events", this::events, Role.VIEWER);
        r.post("/api/readings", this::ingest, Role.OPERATOR);
    }

    private void list(Context ctx) {
        List<DeviceView> out = new ArrayList<>();
        for (DeviceInfo d : storage.devices()) {
            out.add(view(d));
        }
        ctx.json(new DeviceList(out, out.size()));
    }

    private void one(Context ctx) {
        String id = Params.deviceId(ctx);
        for (DeviceInfo d : storage.devices()) {
            if (d.deviceId().equals(id)) {
                ctx.json(view(d));
                return;
            }
        }
        throw ApiException.notFound("no data for device '" + id + "'");
    }

    private DeviceView view(DeviceInfo d) {
        List<SensorReading> last = storage.latest(d.deviceId(), 1);
        Double health = null;
        String status = "UNKNOWN";
        if (!last.isEmpty()) {
            double h = last.get(0).healthScore();
            health = Double.isNaN(h) ? null : h;
            status = last.get(0).status().name();
        }
        return new DeviceView(d.deviceId(), d.lastSeen() == null ? null : d.lastSeen().toString(),
                d.readingCount(), health, status);
    }

    /**
     * Without {@code from}/{@code to}: the newest {@code limit} readings. With either: the readings in
     * {@code [from, to)}, paged by {@code limit} and {@code offset}. Both answer oldest first.
     */
    private void data(Context ctx) {
        String id = Params.deviceId(ctx);
        int limit = Params.intParam(ctx, "limit", DEFAULT_LIMIT, 1, api.settings.maxPageSize());
        Instant from = Params.instantParam(ctx, "from");
        Instant to = Params.instantParam(ctx, "to");
        String offsetText = Params.single(ctx, "offset");
        List<SensorReading> page;
        Integer nextOffset = null;
        int offset = 0;
        if (from == null && to == null) {
            if (offsetText != null) {
                throw ApiException.badRequest("offset", "query parameter 'offset' needs a time range ('from' and/or 'to')");
            }
            latest(ctx, id, limit);
            return;
        } else {
            Instant f = from == null ? Instant.EPOCH : from;
            Instant t = to == null ? END_OF_TIME : to;
            if (!f.isBefore(t)) {
                throw ApiException.badRequest("from", "'from' (" + f + ") must be before 'to' (" + t + ")");
            }
            offset = Params.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            List<SensorReading> all = storage.range(id, f, t);
            int end = (int) Math.min((long) offset + limit, all.size());
            page = offset >= all.size() ? List.of() : all.subList(offset, end);
            if (end < all.size()) {
                nextOffset = end;
            }
        }
        if (page.isEmpty() && storage.count(id) == 0) {
            throw ApiException.notFound("no data for device '" + id + "'");
        }
        ctx.contentType("application/json").result(render(id, page, offset, nextOffset));
    }

    /**
     * Failure and maintenance events in {@code [from, to)} (whole history when omitted), oldest first; of
     * more than {@code limit} events the newest {@code limit}, flagged {@code truncated}. 404 only for a
     * device the storage knows nothing about (no readings and no events at all).
     */
    private void events(Context ctx) {
        String id = Params.deviceId(ctx);
        int limit = Params.intParam(ctx, "limit", DEFAULT_LIMIT, 1, api.settings.maxPageSize());
        Instant from = Params.instantParam(ctx, "from");
        Instant to = Params.instantParam(ctx, "to");
        Instant f = from == null ? Instant.EPOCH : from;
        Instant t = to == null ? END_OF_TIME : to;
        if (!f.isBefore(t)) {
            throw ApiException.badRequest("from", "'from' (" + f + ") must be before 'to' (" + t + ")");
        }
        List<DeviceEvent> all = storage.events(id, f, t);
        if (all.isEmpty() && storage.count(id) == 0
                && (from == null && to == null || storage.events(id, Instant.EPOCH, END_OF_TIME).isEmpty())) {
            throw ApiException.notFound("no data for device '" + id + "'");
        }
        List<DeviceEvent> page = all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
        List<EventView> out = new ArrayList<>(page.size());
        for (DeviceEvent e : page) {
            out.add(new EventView(e.timestamp().toString(), e.kind(), e.detail()));
        }
        ctx.json(new EventList(id, out.size(), page.size() < all.size(), out));
    }

    /**
     * The newest {@code limit} readings, the dashboard's and the hot path. Rendered pages are cached per
     * (device, limit) and revalidated on every request against the device's reading count and newest
     * timestamp (two indexed look-ups instead of reading and rendering the page), whoever wrote to the
     * storage. The validator misses only a change that keeps both equal: deleting old readings while
     * back-filling exactly as many older-than-newest ones between two requests. It is also the ETag, so
     * a polling dashboard gets 304 Not Modified.
     */
    private void latest(Context ctx, String id, int limit) {
        long count = storage.count(id);
        if (count == 0) {
            throw ApiException.notFound("no data for device '" + id + "'");
        }
        List<SensorReading> newest = storage.latest(id, 1);
        if (newest.isEmpty()) {
            throw ApiException.notFound("no data for device '" + id + "'");
        }
        Instant last = newest.get(0).timestamp();
        String etag = "\"" + count + "-" + last.getEpochSecond() + "." + last.getNano() + "-" + limit + "\"";
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        PageCache.Key key = new PageCache.Key(id, limit);
        byte[] body = cache.get(key, etag);
        if (body == null) {
            List<SensorReading> page = new ArrayList<>(storage.latest(id, limit));
            Collections.reverse(page);
            body = render(id, page, 0, null);
            cache.put(key, etag, body);
        }
        ctx.contentType("application/json").result(body);
    }

    private byte[] render(String id, List<SensorReading> page, int offset, Integer nextOffset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.size() * 300);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("device_id", id);
            g.writeNumberField("count", page.size());
            g.writeNumberField("offset", offset);
            if (nextOffset == null) {
                g.writeNullField("next_offset");
            } else {
                g.writeNumberField("next_offset", nextOffset);
            }
            g.writeArrayFieldStart("data");
            for (SensorReading r : page) {
                api.readingJson.write(r, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Stores one reading or an array of readings atomically, then tells the listeners. */
    private void ingest(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ApiException.badRequest(null, "request body must be a reading object or an array of readings");
        }
        List<SensorReading> readings;
        try {
            readings = api.readingJson.readAll(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidJsonException e) {
            throw ApiException.badRequest(e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, e.getMessage());
        }
        if (readings.isEmpty()) {
            throw ApiException.badRequest(null, "request body holds no readings");
        }
        if (api.settings.ingestToHub()) {
            try {
                for (SensorReading r : readings) {
                    api.settings.hub().publish(r);
                }
            } catch (StreamOverflowException | IllegalStateException e) {
                throw new ApiException(503, "unavailable", "stream hub refused the readings: " + e.getMessage(), null);
            }
            ctx.status(202).json(new IngestResult(readings.size()));
            return;
        }
        try {
            storage.appendAll(readings);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, "readings rejected by storage: " + e.getMessage());
        }
        for (MonitoringListener l : api.settings.listeners()) {
            for (SensorReading r : readings) {
                try {
                    l.onReading(r);
                } catch (RuntimeException e) {
                    // Stored is stored: a failing listener must not turn an acknowledged write into an error.
                    LOG.warn("monitoring listener {} failed on a reading of {}", l, r.deviceId(), e);
                }
            }
        }
        api.published(readings);
        ctx.status(201).json(new IngestResult(readings.size()));
    }
}
