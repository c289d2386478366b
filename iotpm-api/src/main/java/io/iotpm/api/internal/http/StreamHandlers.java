package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.core.DeviceIds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live stream: {@code GET /api/stream} (Server-Sent Events) and {@code POST /api/stream/ticket}.
 * Browsers' {@code EventSource} cannot send an Authorization header, so a page asks for a ticket with
 * its bearer token and opens {@code /api/stream?ticket=...}: tickets are random, single-use and live
 * {@value #TICKET_SECONDS} seconds, so no long-lived token ever appears in a URL or an access log.
 */
final class StreamHandlers {

    static final String PATH = "/api/stream";
    static final long TICKET_SECONDS = 30;
    static final Set<String> TOPICS = Set.of("readings", "predictions", "alerts");
    private static final int MAX_TICKETS = 10_000;

    private final ApiContext api;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

    private record Ticket(TokenService.Principal principal, Instant expires) {
    }

    record TicketResponse(String ticket, long expiresIn, String url) {
    }

    StreamHandlers(ApiContext api) {
        this.api = api;
    }

    void register(RoutesConfig r) {
        r.post(PATH + "/ticket", this::ticket, Role.VIEWER);
        r.get(PATH, this::stream, Role.VIEWER);
    }

    private void ticket(Context ctx) {
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        Instant now = api.settings.clock().instant();
        if (tickets.size() >= MAX_TICKETS) {
            tickets.values().removeIf(t -> t.expires().isBefore(now));
            if (tickets.size() >= MAX_TICKETS) {
                throw new ApiException(503, "unavailable", "too many outstanding stream tickets", null);
            }
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        tickets.put(id, new Ticket(p, now.plus(Duration.ofSeconds(TICKET_SECONDS))));
        ctx.json(new TicketResponse(id, TICKET_SECONDS, PATH + "?ticket=" + id));
    }

    /**
     * @return the principal of a valid, unexpired ticket, which is used up
     * @throws ApiException 401 otherwise
     */
    TokenService.Principal consume(String ticket) {
        Ticket t = ticket == null ? null : tickets.remove(ticket);
        if (t == null || t.expires().isBefore(api.settings.clock().instant())) {
            throw ApiException.unauthorized("stream ticket is invalid, used or expired");
        }
        return t.principal();
    }

    private void stream(Context ctx) {
        Set<String> topics = new LinkedHashSet<>();
        String requested = Params.single(ctx, "topics");
        if (requested == null) {
            topics.addAll(List.of("readings", "predictions", "alerts"));
        } else {
            for (String t : requested.split(",")) {
                String topic = t.strip();
                if (!TOPICS.contains(topic)) {
                    throw ApiException.badRequest("topics", "query parameter 'topics' must list readings, predictions"
                            + " and/or alerts, but contains '" + Params.abbreviate(topic) + "'");
                }
                topics.add(topic);
            }
        }
        String device = Params.single(ctx, "device_id");
        if (device != null && !DeviceIds.isValid(device)) {
            throw ApiException.badRequest("device_id", "query parameter 'device_id' is not a valid device id: '"
                    + Params.abbreviate(device) + "'");
        }
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        api.live.serve(ctx, p.username(), Set.copyOf(topics), device);
    }
}
