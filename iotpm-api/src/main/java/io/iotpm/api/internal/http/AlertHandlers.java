package io.iotpm.api.internal.http;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.Silence;
import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.SensorSchema;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Alerts, silences and rules over an {@link AlertManager}: list and filter, acknowledge, resolve,
 * silence; list rules, and (admin) add threshold rules and remove rules. Without a manager every
 * endpoint answers 503 {@code no_alerts}.
 */
final class AlertHandlers {

    static final int MAX_SILENCE_MINUTES = 30 * 24 * 60;

    private final ApiContext api;

    AlertHandlers(ApiContext api) {
        this.api = api;
    }

    /** An alert in snake_case JSON. */
    record AlertView(long id, String rule, String type, String priority, String deviceId, String channel,
                     String message, String state, String firstSeen, String lastSeen, long count, Double lastValue,
                     String acknowledgedBy, String acknowledgedAt, String resolvedBy, String resolvedAt,
                     String resolution, int escalations) {
    }

    record AlertList(List<AlertView> alerts, int count) {
    }

    record SilenceRequest(String rule, String deviceId, Integer durationMinutes, String comment) {
    }

    record SilenceView(long id, String rule, String deviceId, String until, String createdBy, String comment) {
    }

    record RuleView(String name, String type, String priority, String channel, String trigger, long cooldownSeconds,
                    String message) {
    }

    /** A threshold rule: fires while {@code channel} is above {@code above} or below {@code below}. */
    record RuleRequest(String name, String channel, Double above, Double below, String priority,
                       Integer cooldownMinutes, String message) {
    }

    void register(RoutesConfig r) {
        r.get("/api/alerts", this::list, Role.VIEWER);
        r.get("/api/alerts/silences", this::silences, Role.VIEWER);
        r.post("/api/alerts/silences", this::silence, Role.OPERATOR);
        r.delete("/api/alerts/silences/{id}", this::unsilence, Role.OPERATOR);
        r.get("/api/alerts/{id}", this::one, Role.VIEWER);
        r.post("/api/alerts/{id}/acknowledge", this::acknowledge, Role.OPERATOR);
        r.post("/api/alerts/{id}/resolve", this::resolve, Role.OPERATOR);
        r.get("/api/rules", this::rules, Role.VIEWER);
        r.post("/api/rules", this::addRule, Role.ADMIN);
        r.delete("/api/rules/{name}", this::removeRule, Role.ADMIN);
    }

    private AlertManager alerts() {
        return api.alerts();
    }

    /** {@code ?state=open|all|active,acknowledged,resolved&priority=HIGH&device_id=&rule=&limit=}. */
    private void list(Context ctx) {
        AlertManager m = alerts();
        String state = Params.single(ctx, "state");
        Set<AlertState> states = EnumSet.noneOf(AlertState.class);
        if (state == null || state.equals("open")) {
            states.add(AlertState.ACTIVE);
            states.add(AlertState.ACKNOWLEDGED);
        } else if (state.equals("all")) {
            states.addAll(EnumSet.allOf(AlertState.class));
        } else {
            for (String s : state.split(",")) {
                try {
                    states.add(AlertState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("state", "query parameter 'state' must be open, all, or a list of"
                            + " active, acknowledged, resolved, but contains '" + Params.abbreviate(s) + "'");
                }
            }
        }
        AlertQuery.Builder q = AlertQuery.builder().limit(Params.intParam(ctx, "limit", 100, 1, api.settings.maxPageSize()));
        AlertState[] st = states.toArray(AlertState[]::new);
        q.states(st[0], Arrays.copyOfRange(st, 1, st.length));
        String priority = Params.single(ctx, "priority");
        if (priority != null) {
            try {
                q.minPriority(Priority.parse(priority));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("priority", "query parameter 'priority': " + e.getMessage());
            }
        }
        String device = Params.single(ctx, "device_id");
        if (device != null) {
            if (!DeviceIds.isValid(device)) {
                throw ApiException.badRequest("device_id", "query parameter 'device_id' is not a valid device id: '"
                        + Params.abbreviate(device) + "'");
            }
            q.device(device);
        }
        String rule = Params.single(ctx, "rule");
        if (rule != null) {
            q.rule(rule);
        }
        Instant from = Params.instantParam(ctx, "from");
        Instant to = Params.instantParam(ctx, "to");
        if (from != null || to != null) {
            if (from != null && to != null && from.isAfter(to)) {
                throw ApiException.badRequest("from", "'from' (" + from + ") must not be after 'to' (" + to + ")");
            }
            q.between(from, to);
        }
        List<AlertView> out = new ArrayList<>();
        for (Alert a : m.history(q.build())) {
            out.add(view(a));
        }
        ctx.json(new AlertList(out, out.size()));
    }

    private void one(Context ctx) {
        long id = alertId(ctx);
        ctx.json(view(alerts().get(id).orElseThrow(() -> ApiException.notFound("no alert " + id))));
    }

    private void acknowledge(Context ctx) {
        long id = alertId(ctx);
        change(ctx, () -> alerts().acknowledge(id, who(ctx)), id);
    }

    private void resolve(Context ctx) {
        long id = alertId(ctx);
        change(ctx, () -> alerts().resolve(id, who(ctx)), id);
    }

    private void change(Context ctx, Supplier<Alert> action, long id) {
        Alert a;
        try {
            a = action.get();
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no alert " + id);
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage(), null);
        }
        AlertView v = view(a);
        api.publishAlert(a.deviceId(), v);
        ctx.json(v);
    }

    private void silences(Context ctx) {
        List<SilenceView> out = alerts().silences().stream().map(AlertHandlers::view).toList();
        ctx.json(Map.of("silences", out, "count", out.size()));
    }

    private void silence(Context ctx) {
        AlertManager m = alerts();
        SilenceRequest req = Json.read(ctx.bodyAsBytes(), SilenceRequest.class);
        if (req.rule() == null && req.deviceId() == null) {
            throw ApiException.badRequest("rule", "a silence needs 'rule', 'device_id' or both");
        }
        if (req.deviceId() != null && !DeviceIds.isValid(req.deviceId())) {
            throw ApiException.badRequest("device_id", "field 'device_id' is not a valid device id");
        }
        if (req.rule() != null && !DeviceIds.isValid(req.rule())) {
            throw ApiException.badRequest("rule", "field 'rule' is not a valid rule name");
        }
        if (req.durationMinutes() == null) {
            throw ApiException.badRequest("duration_minutes", "missing field 'duration_minutes'");
        }
        if (req.durationMinutes() < 1 || req.durationMinutes() > MAX_SILENCE_MINUTES) {
            throw ApiException.badRequest("duration_minutes", "field 'duration_minutes' must be in [1, "
                    + MAX_SILENCE_MINUTES + "], but was " + req.durationMinutes());
        }
        String comment = req.comment() == null ? "" : req.comment();
        if (comment.length() > 500) {
            throw ApiException.badRequest("comment", "field 'comment' must be at most 500 characters");
        }
        Instant until = api.settings.clock().instant().plus(Duration.ofMinutes(req.durationMinutes()));
        Silence s = m.silence(new Silence(0, req.rule(), req.deviceId(), until, who(ctx), comment));
        ctx.status(201).json(view(s));
    }

    private void unsilence(Context ctx) {
        long id = longPath(ctx, "id");
        if (!alerts().unsilence(id)) {
            throw ApiException.notFound("no silence " + id);
        }
        ctx.status(204);
    }

    private void rules(Context ctx) {
        List<RuleView> out = new ArrayList<>();
        for (AlertRule r : alerts().rules()) {
            out.add(new RuleView(r.name(), r.type().name(), r.priority().name(), r.channel(), r.trigger(),
                    r.cooldown().toSeconds(), r.message()));
        }
        ctx.json(Map.of("rules", out, "count", out.size()));
    }

    private void addRule(Context ctx) {
        AlertManager m = alerts();
        RuleRequest req = Json.read(ctx.bodyAsBytes(), RuleRequest.class);
        SensorSchema schema = api.settings.schema();
        if (req.name() == null || !DeviceIds.isValid(req.name())) {
            throw ApiException.badRequest("name", "field 'name' is required: [A-Za-z0-9_.:-]{1,64}");
        }
        if (req.channel() == null || !schema.has(req.channel())) {
            throw ApiException.badRequest("channel", "field 'channel' must name a channel of schema '" + schema.name()
                    + "', but was '" + Params.abbreviate(String.valueOf(req.channel())) + "'");
        }
        if ((req.above() == null) == (req.below() == null)) {
            throw ApiException.badRequest("above", "exactly one of 'above' and 'below' is required");
        }
        double limit = req.above() != null ? req.above() : req.below();
        if (!Double.isFinite(limit)) {
            throw ApiException.badRequest(req.above() != null ? "above" : "below", "threshold must be finite");
        }
        Priority priority;
        try {
            priority = req.priority() == null ? AlertRule.DEFAULT_PRIORITY : Priority.parse(req.priority());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("priority", "field 'priority': " + e.getMessage());
        }
        int cooldown = req.cooldownMinutes() == null ? (int) AlertRule.DEFAULT_COOLDOWN.toMinutes() : req.cooldownMinutes();
        if (cooldown < 0 || cooldown > 7 * 24 * 60) {
            throw ApiException.badRequest("cooldown_minutes", "field 'cooldown_minutes' must be in [0, 10080], but was "
                    + cooldown);
        }
        boolean above = req.above() != null;
        String message = req.message() != null ? req.message()
                : "{device_id}: " + req.channel() + " {value} " + (above ? "above " : "below ") + limit;
        AlertRule rule;
        try {
            rule = AlertRule.named(req.name()).type(AlertType.THRESHOLD).priority(priority).channel(req.channel())
                    .schema(schema).cooldown(Duration.ofMinutes(cooldown)).message(message)
                    // A value condition like the built-in rules', so {value} and last_value show the reading.
                    .when(above ? Condition.above(req.channel(), limit) : Condition.below(req.channel(), limit))
                    .build();
            m.addRule(rule);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage() != null && e.getMessage().contains("exists") ? "name" : "message";
            throw ApiException.badRequest(field, e.getMessage());
        }
        ctx.status(201).json(new RuleView(rule.name(), rule.type().name(), rule.priority().name(), rule.channel(),
                rule.trigger(), rule.cooldown().toSeconds(), rule.message()));
    }

    private void removeRule(Context ctx) {
        String name = ctx.pathParam("name");
        if (!DeviceIds.isValid(name)) {
            throw ApiException.badRequest("name", "rule name must match [A-Za-z0-9_.:-]{1,64}");
        }
        if (!alerts().removeRule(name)) {
            throw ApiException.notFound("no rule '" + name + "'");
        }
        ctx.status(204);
    }

    private static long alertId(Context ctx) {
        return longPath(ctx, "id");
    }

    private static long longPath(Context ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            long id = Long.parseLong(v);
            if (id < 1) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "path parameter '" + name + "' must be a positive integer, but was '"
                    + Params.abbreviate(v) + "'");
        }
    }

    private static String who(Context ctx) {
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        return p.username();
    }

    static AlertView view(Alert a) {
        return new AlertView(a.id(), a.rule(), a.type().name(), a.priority().name(), a.deviceId(), a.channel(),
                a.message(), a.state().name(), str(a.firstSeen()), str(a.lastSeen()), a.count(),
                Double.isNaN(a.lastValue()) ? null : a.lastValue(), a.acknowledgedBy(), str(a.acknowledgedAt()),
                a.resolvedBy(), str(a.resolvedAt()), a.resolution() == null ? null : a.resolution().name(),
                a.escalations());
    }

    static SilenceView view(Silence s) {
        return new SilenceView(s.id(), s.rule(), s.deviceId(), s.until().toString(), s.createdBy(), s.comment());
    }

    static String json(AlertView v) {
        return new String(Json.write(v), StandardCharsets.UTF_8);
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
