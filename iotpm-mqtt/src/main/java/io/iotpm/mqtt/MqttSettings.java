package io.iotpm.mqtt;

import io.iotpm.core.config.IotpmConfig;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an MQTT broker: its URL, optional user name and password, optional TLS, keep-alive.
 * Shared by {@link MqttIngest}, {@link MqttPublisher} and {@link MqttDeviceFleet}, each of which picks
 * its own client id.
 *
 * <pre>{@code
 * MqttSettings broker = MqttSettings.builder("ssl://broker.plant:8883")
 *     .credentials("gateway", password).tls(sslContext).build();
 * }</pre>
 *
 * <p>The password is kept as a private copy, handed only to the MQTT client, and never appears in
 * {@link #toString()} or in any log line of this module. Immutable and thread-safe.
 */
public final class MqttSettings {

    /** Default keep-alive interval. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    /** Default time to wait for a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default longest wait between two reconnect attempts. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    private final String url;
    private final String username;
    private final char[] password;
    private final SSLContext tls;
    private final Duration keepAlive;
    private final Duration connectTimeout;
    private final Duration maxReconnectDelay;

    private MqttSettings(Builder b) {
        this.url = b.url;
        this.username = b.username;
        this.password = b.password == null ? null : b.password.clone();
        this.tls = b.tls;
        this.keepAlive = b.keepAlive;
        this.connectTimeout = b.connectTimeout;
        this.maxReconnectDelay = b.maxReconnectDelay;
    }

    /**
     * @param url {@code tcp://host:port}, {@code ssl://host:port}, {@code ws://...} or {@code wss://...},
     *            without user information (credentials go in {@link Builder#credentials(String, char[])})
     * @return a builder
     * @throws IllegalArgumentException if the URL is not one of those
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * Reads {@code MQTT_URL}, {@code MQTT_USERNAME} and {@code MQTT_PASSWORD}.
     *
     * @param config the configuration
     * @return the settings, or empty when {@code MQTT_URL} is not set
     */
    public static Optional<MqttSettings> fromConfig(IotpmConfig config) {
        String url = config.get(IotpmConfig.MQTT_URL);
        if (url == null) {
            return Optional.empty();
        }
        Builder b = builder(url);
        String user = config.get(IotpmConfig.MQTT_USERNAME);
        if (user != null) {
            String pw = config.get(IotpmConfig.MQTT_PASSWORD);
            b.credentials(user, pw == null ? new char[0] : pw.toCharArray());
        }
        return Optional.of(b.build());
    }

    /** @return the broker URL */
    public String url() {
        return url;
    }

    /** @return the user name, or empty */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** @return whether a password is set (the password itself is only handed to the client) */
    public boolean hasPassword() {
        return password != null;
    }

    /** @return a copy of the password, or {@code null}; for the MQTT client only */
    char[] password() {
        return password == null ? null : password.clone();
    }

    /** @return the TLS context, or empty (then {@code ssl://} URLs use the JVM default) */
    public Optional<SSLContext> tls() {
        return Optional.ofNullable(tls);
    }

    /** @return the keep-alive interval */
    public Duration keepAlive() {
        return keepAlive;
    }

    /** @return how long a connection attempt may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the longest wait between reconnect attempts */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** @return the URL, the user and whether a password and TLS are set; never the password */
    @Override
    public String toString() {
        return "MqttSettings[url=" + url + ", username=" + (username == null ? "none" : username)
                + ", password=" + (password == null ? "none" : "****") + ", tls=" + (tls == null ? "default" : tls.getProtocol())
                + ", keepAlive=" + keepAlive + "]";
    }

    /** Builds {@link MqttSettings}. */
    public static final class Builder {
        private final String url;
        private String username;
        private char[] password;
        private SSLContext tls;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;

        private Builder(String url) {
            Objects.requireNonNull(url, "url");
            if (!url.matches("(tcp|ssl|ws|wss)://[^/@\\s]+:\\d{1,5}(/[^\\s]*)?")) {
                throw new IllegalArgumentException("url must be tcp://host:port, ssl://host:port, ws:// or wss://"
                        + " without user information, but was '" + url.replaceAll("//[^@/]*@", "//****@") + "'");
            }
            this.url = url;
        }

        /**
         * @param username user name at the broker, non-empty
         * @param password its password (copied; the caller may wipe its array)
         * @return this builder
         */
        public Builder credentials(String username, char[] password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isEmpty()) {
                throw new IllegalArgumentException("username must not be empty");
            }
            this.username = username;
            this.password = Arrays.copyOf(password, password.length);
            return this;
        }

        /**
         * @param tls the TLS context for {@code ssl://} and {@code wss://} URLs (trust store, client
         *            certificate); default the JVM's
         * @return this builder
         */
        public Builder tls(SSLContext tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * @param keepAlive keep-alive interval, 1 s to 18 h; default {@link #DEFAULT_KEEP_ALIVE}
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = seconds("keepAlive", keepAlive, 65_535);
            return this;
        }

        /**
         * @param connectTimeout how long a connection attempt may take, 1 s to 18 h; default
         *                       {@link #DEFAULT_CONNECT_TIMEOUT}
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = seconds("connectTimeout", connectTimeout, 65_535);
            return this;
        }

        /**
         * @param maxReconnectDelay longest wait between reconnect attempts, 1 s to 1 h; default
         *                          {@link #DEFAULT_MAX_RECONNECT_DELAY}
         * @return this builder
         */
        public Builder maxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = seconds("maxReconnectDelay", maxReconnectDelay, 3_600);
            return this;
        }

        private static Duration seconds(String name, Duration d, long max) {
            Objects.requireNonNull(d, name);
            if (d.getSeconds() < 1 || d.getSeconds() > max) {
                throw new IllegalArgumentException(name + " must be 1 s to " + max + " s, but was " + d);
            }
            return d;
        }

        /** @return the settings; an {@code ssl://} URL without {@link #tls(SSLContext)} uses the JVM's TLS defaults */
        public MqttSettings build() {
            return new MqttSettings(this);
        }
    }
}
