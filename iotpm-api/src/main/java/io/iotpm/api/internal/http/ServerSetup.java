package io.iotpm.api.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.api.internal.ServerSettings;
import io.iotpm.api.internal.auth.TokenService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JsonMapper;
import io.javalin.security.RouteRole;
import kotlin.LazyKt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/** Turns {@link ServerSettings} into Javalin configuration: filters, error mapping, routes, static files. */
final class ServerSetup {

    /** Oversized bodies up to this size are read and discarded before the 413 is sent. */
    private static final long DRAIN_LIMIT_BYTES = 8L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);

    /** Marks routes that need no token. Every other /api route needs one: a route with no role is refused. */
    enum Access implements RouteRole {
        PUBLIC
    }

    static final String PRINCIPAL = "iotpm.principal";

    /**
     * The dashboard's Content-Security-Policy: scripts only from the server's own files (no inline script,
     * no eval, no inline event handlers), data only from the API, nothing framed or framing. Inline styles
     * stay allowed: ECharts styles its tooltips and markers inline, and a style cannot run code.
     */
    static final String DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    /** API responses are data, never documents: nothing in them may load or run. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private ServerSetup() {
    }

    static void configure(JavalinConfig config, ServerSettings s, ApiContext api, ExecutorService async) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.jetty.threadPool = ApiServer.httpThreadPool(s.maxThreads());
        config.concurrency.executor = LazyKt.lazyOf(ApiServer.asyncExecutor(async));
        config.http.maxRequestSize = s.maxBodyBytes();
        config.http.prefer405over404 = true;
        config.router.ignoreTrailingSlashes = true;
        config.jsonMapper(javalinMapper());
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));

        if (!s.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                rule.path = "/api/*";
                String first = s.corsOrigins().get(0);
                rule.allowHost(first, s.corsOrigins().subList(1, s.corsOrigins().size()).toArray(String[]::new));
            }));
        }
        if (ApiServer.class.getResource(ApiServer.STATIC_RESOURCES) != null) {
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = ApiServer.STATIC_RESOURCES;
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                        "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer",
                        "Content-Security-Policy", DASHBOARD_CSP);
            });
        }

        var routes = config.routes;
        routes.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            if (ctx.path().startsWith("/api/")) {
                ctx.header("Cache-Control", "no-store");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Content-Security-Policy", API_CSP);
            }
            long length = ctx.req().getContentLengthLong();
            if (length > s.maxBodyBytes()) {
                // Refusing without reading makes most clients see a connection reset while they are still
                // sending, not the 413. Discard a moderately oversized body first so the answer arrives;
                // anything larger is refused at once (the connection is then closed).
                if (length <= DRAIN_LIMIT_BYTES) {
                    try (InputStream in = ctx.req().getInputStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException ignored) {
                        // The client went away; the 413 below is still the answer.
                    }
                } else {
                    ctx.header("Connection", "close");
                }
                throw new ApiException(413, "payload_too_large", "request body of " + length
                        + " bytes exceeds the limit of " + s.maxBodyBytes() + " bytes", null);
            }
        });
        routes.beforeMatched(ctx -> authorize(ctx, api));

        routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.field()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String code = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "payload_too_large";
                default -> status >= 500 ? "internal_error" : "http_" + status;
            };
            String message = switch (status) {
                case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
                case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
                case 413 -> "request body exceeds the limit of " + s.maxBodyBytes() + " bytes";
                default -> e.getMessage();
            };
            if (status == 413) {
                // The rest of the body was never read, so the connection cannot carry another request.
                ctx.header("Connection", "close");
            }
            error(ctx, status, code, message, null);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            LOG.warn("internal error {} on {} {}", ref, ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal_error", "internal server error (reference " + ref + ")", null);
        });

        api.register(routes);
    }

    private static void authorize(Context ctx, ApiContext api) {
        if (ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC)) {
            return;
        }
        if (roles.isEmpty()) {
            if (ctx.path().startsWith("/api")) {
                // Fail closed: an /api route registered without a role is a bug, not a public endpoint.
                throw ApiException.forbidden("endpoint has no access rule");
            }
            return;
        }
        TokenService.Principal p = api.authenticate(ctx);
        Role required = (Role) roles.iterator().next();
        if (!p.role().includes(required)) {
            throw ApiException.forbidden("role '" + p.role().id() + "' may not " + ctx.method() + " " + ctx.path()
                    + "; it needs '" + required.id() + "'");
        }
        ctx.attribute(PRINCIPAL, p);
    }

    /** Adapts the API's strict mapper for Javalin's {@code ctx.json} and SSE. */
    private static JsonMapper javalinMapper() {
        return new JsonMapper() {
            @Override
            public String toJsonString(Object obj, Type type) {
                try {
                    return Json.MAPPER.writeValueAsString(obj);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot serialise " + type.getTypeName(), e);
                }
            }
        };
    }

    static void error(Context ctx, int status, String code, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"iotpm\"");
        }
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
