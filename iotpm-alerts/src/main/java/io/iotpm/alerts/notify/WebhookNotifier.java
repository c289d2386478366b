package io.iotpm.alerts.notify;

import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.Notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * POSTs each notification as {@link AlertJson} to a URL with the JDK {@link HttpClient}. A response
 * other than 2xx, a timeout or a connection error throws, and the {@link io.iotpm.alerts.AlertManager}
 * retries with backoff ({@code maxAttempts}, {@code retryBackoff}) and counts the outcome.
 */
public final class WebhookNotifier implements Notifier {

    /** Default request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;

    private WebhookNotifier(Builder b) {
        this.uri = b.uri;
        this.timeout = b.timeout;
        this.headers = Map.copyOf(b.headers);
        this.client = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * @param url an {@code http} or {@code https} URL
     * @return a builder
     * @throws IllegalArgumentException if the URL is not absolute http(s)
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    @Override
    public void send(AlertNotification n) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(AlertJson.toJson(n), StandardCharsets.UTF_8));
        headers.forEach(req::header);
        HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            String body = resp.body();
            throw new IOException("webhook " + uri.getScheme() + "://" + uri.getHost() + " answered HTTP " + resp.statusCode()
                    + (body == null || body.isEmpty() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
        }
    }

    @Override
    public String name() {
        return "webhook-" + uri.getHost();
    }

    @Override
    public String kind() {
        return "webhook";
    }

    /** @return {@code scheme}, {@code host} and {@code timeout_ms}: never the path, query, user info or headers */
    @Override
    public Map<String, Object> details() {
        return Map.of("scheme", uri.getScheme(), "host", uri.getHost(), "timeout_ms", timeout.toMillis());
    }

    /** Builds a {@link WebhookNotifier}. */
    public static final class Builder {
        private final URI uri;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String url) {
            Objects.requireNonNull(url, "url");
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook url is not a valid URI: '" + url + "'", e);
            }
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("webhook url must be an absolute http(s) URL, but was '" + url + "'");
            }
            this.uri = u;
        }

        /** @param timeout connect and request timeout, {@code > 0}; default 5 s */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** @param name header name @param value value, e.g. {@code Authorization: Bearer ...} */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the notifier */
        public WebhookNotifier build() {
            return new WebhookNotifier(this);
        }
    }
}
