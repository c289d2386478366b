package io.iotpm.api.internal.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Renders errors that Jetty raises before Javalin sees the request (an ambiguous or malformed URI such
 * as {@code /api/devices/..%2Fetc/data}, a bad header) in the API's JSON error shape instead of HTML.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (status < 400) {
            status = 500;
        }
        String code = status == 400 ? "invalid_request" : status == 413 ? "payload_too_large"
                : status == 404 ? "not_found" : status >= 500 ? "internal_error" : "http_" + status;
        Object cause = request.getAttribute(ERROR_MESSAGE);
        String message = status == 400 ? "malformed request" + (cause == null ? "" : ": " + sanitize(cause.toString()))
                : status >= 500 ? "internal server error" : "request refused";
        String json = "{\"error\":\"" + code + "\",\"message\":\"" + escape(message) + "\"}";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after a request it could not parse. Saying so stops a keep-alive client
        // (the JDK HttpClient) from sending its next request down the dead socket and failing with no response.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String sanitize(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
