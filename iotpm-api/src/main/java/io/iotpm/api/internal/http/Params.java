package io.iotpm.api.internal.http;

import io.iotpm.api.internal.ApiException;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.json.InvalidJsonException;
import io.iotpm.core.json.ReadingJson;
import io.javalin.http.Context;

import java.time.Instant;

/** Strict parsing of path and query parameters; every failure is a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    static String deviceId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!DeviceIds.isValid(id)) {
            try {
                DeviceIds.requireValid(id);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("id", e.getMessage());
            }
        }
        return id;
    }

    static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = single(ctx, name);
        if (v == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "query parameter '" + name + "' must be an integer, but was '"
                    + abbreviate(v) + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(name, "query parameter '" + name + "' must be in [" + min + ", " + max
                    + "], but was " + n);
        }
        return n;
    }

    /** @return the instant (ISO-8601 or epoch milliseconds), or {@code null} when absent */
    static Instant instantParam(Context ctx, String name) {
        String v = single(ctx, name);
        if (v == null) {
            return null;
        }
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit) && v.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return ReadingJson.parseTimestamp(v);
        } catch (InvalidJsonException e) {
            throw ApiException.badRequest(name, "query parameter '" + name + "' must be an ISO-8601 date-time"
                    + " (e.g. 2026-01-01T00:00:00Z) or epoch milliseconds, but was '" + abbreviate(v) + "'");
        }
    }

    static String single(Context ctx, String name) {
        var values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name, "query parameter '" + name + "' is given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    static String abbreviate(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
