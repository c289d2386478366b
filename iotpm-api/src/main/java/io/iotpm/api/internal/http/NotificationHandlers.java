package io.iotpm.api.internal.http;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.NotifierInfo;
import io.iotpm.alerts.NotifierTestResult;
import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/notifications} (operator): the alert manager's notifiers without secrets, with their
 * delivery counters; {@code POST /api/notifications/test} (admin): a marked test notification through
 * all of them or one, answered with each one's outcome. Registered even without an alert manager, so
 * the settings page can say why there is nothing to show (503 {@code no_alerts}).
 */
final class NotificationHandlers {

    /** How long a test waits for all notifiers together; e-mail's own default timeout is 10 s. */
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(15);

    private final ApiContext api;

    NotificationHandlers(ApiContext api) {
        this.api = api;
    }

    record NotifierView(String name, String kind, Map<String, Object> details, long sent, long failed, long retries,
                        long dropped, int queued) {
    }

    record TestRequest(String notifier) {
    }

    record TestResultView(String notifier, String outcome, String error, long millis) {
    }

    void register(RoutesConfig r) {
        r.get("/api/notifications", this::list, Role.OPERATOR);
        r.post("/api/notifications/test", this::test, Role.ADMIN);
    }

    private AlertManager alerts() {
        return api.alerts();
    }

    private void list(Context ctx) {
        List<NotifierView> out = alerts().notifiers().stream().map(NotificationHandlers::view).toList();
        ctx.json(Map.of("notifiers", out, "count", out.size()));
    }

    /** Body optional: {@code {"notifier": "email"}} tests that one only; no body or {@code {}} tests all. */
    private void test(Context ctx) {
        AlertManager m = alerts();
        byte[] body = ctx.bodyAsBytes();
        String name = body.length == 0 ? null : Json.read(body, TestRequest.class).notifier();
        if (name != null && (name.isBlank() || name.length() > 100)) {
            throw ApiException.badRequest("notifier", "field 'notifier' must be a notifier name, but was '"
                    + Params.abbreviate(name) + "'");
        }
        List<NotifierTestResult> results;
        try {
            results = m.sendTest(name, TEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("notifier", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, "no_alerts", e.getMessage(), null);
        }
        List<TestResultView> out = results.stream().map(r -> new TestResultView(r.notifier(),
                r.outcome().name().toLowerCase(Locale.ROOT), r.error(), r.millis())).toList();
        long sent = results.stream().filter(r -> r.outcome() == NotifierTestResult.Outcome.SENT).count();
        ctx.json(Map.of("results", out, "sent", sent, "count", out.size()));
    }

    static NotifierView view(NotifierInfo i) {
        var s = i.stats();
        return new NotifierView(i.name(), i.kind(), i.details(), s.sent(), s.failed(), s.retries(), s.dropped(),
                s.queued());
    }
}
