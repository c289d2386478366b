package io.iotpm.alerts.notify;

import io.iotpm.core.config.IotpmConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SMTP settings of the {@link EmailNotifier}, in plain values so any configuration source can fill
 * them. {@link #from(IotpmConfig)} takes them from the library's configuration, {@link #fromMap(Map)}
 * from the original system's variables ({@code EMAIL_ENABLED}, {@code SMTP_SERVER}) and their
 * companions.
 *
 * @param enabled  whether to send at all ({@code EMAIL_ENABLED}); a disabled notifier accepts nothing
 * @param host     SMTP server host ({@code SMTP_SERVER})
 * @param port     SMTP port ({@code SMTP_PORT}), 1 to 65535
 * @param username login, or {@code null} for an open relay ({@code SMTP_USERNAME})
 * @param password password, or {@code null} ({@code SMTP_PASSWORD})
 * @param from     sender address ({@code EMAIL_FROM})
 * @param to       recipients ({@code EMAIL_TO}, comma-separated), at least one when enabled
 * @param startTls upgrade the connection with STARTTLS and require it ({@code SMTP_STARTTLS})
 * @param ssl      connect with implicit TLS, as on port 465 ({@code SMTP_SSL})
 * @param timeout  connect, read and write timeout
 */
public record EmailSettings(boolean enabled, String host, int port, String username, String password, String from,
                            List<String> to, boolean startTls, boolean ssl, Duration timeout) {

    /** Default SMTP port with STARTTLS (submission). */
    public static final int DEFAULT_PORT = 587;
    /** Default timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    // Deliberately simple: one '@', no spaces or angle brackets; the server has the last word.
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,]+@[^@\\s<>,]+");

    /**
     * @throws IllegalArgumentException naming the bad value when enabled and the host, port, an address
     *                                  or the timeout is invalid, or a username has no password
     */
    public EmailSettings {
        to = List.copyOf(Objects.requireNonNull(to, "to"));
        Objects.requireNonNull(timeout, "timeout");
        if (enabled) {
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("SMTP server host must be set, but was '" + host + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("SMTP port must be in [1, 65535], but was " + port);
            }
            requireAddress("from", from);
            if (to.isEmpty()) {
                throw new IllegalArgumentException("e-mail alerts need at least one recipient (EMAIL_TO)");
            }
            for (String t : to) {
                requireAddress("to", t);
            }
            if (username != null && password == null) {
                throw new IllegalArgumentException("SMTP user '" + username + "' needs a password");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
            }
            if (startTls && ssl) {
                throw new IllegalArgumentException("choose STARTTLS or implicit SSL, not both");
            }
        }
    }

    /** @return settings that send nothing */
    public static EmailSettings disabled() {
        return new EmailSettings(false, null, DEFAULT_PORT, null, null, null, List.of(), false, false, DEFAULT_TIMEOUT);
    }

    /** @return a builder, enabled, port 587, STARTTLS on */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The e-mail settings of an {@link IotpmConfig}: {@code EMAIL_ENABLED}, {@code SMTP_SERVER},
     * {@code SMTP_PORT}, {@code SMTP_USERNAME}, {@code SMTP_PASSWORD}, {@code SMTP_STARTTLS},
     * {@code EMAIL_FROM}, {@code EMAIL_TO}.
     *
     * @param config the configuration
     * @return the settings; disabled when {@code EMAIL_ENABLED} is false
     * @throws IllegalArgumentException when enabled and a value is unusable (e.g. no recipient)
     */
    public static EmailSettings from(IotpmConfig config) {
        if (!config.get(IotpmConfig.EMAIL_ENABLED)) {
            return disabled();
        }
        return new EmailSettings(true, config.get(IotpmConfig.SMTP_SERVER), config.get(IotpmConfig.SMTP_PORT),
                config.get(IotpmConfig.SMTP_USERNAME), config.get(IotpmConfig.SMTP_PASSWORD),
                config.get(IotpmConfig.EMAIL_FROM), config.get(IotpmConfig.EMAIL_TO),
                config.get(IotpmConfig.SMTP_STARTTLS), false, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code EMAIL_ENABLED} (default false), {@code SMTP_SERVER}, {@code SMTP_PORT} (587),
     * {@code SMTP_USERNAME} (or {@code SMTP_USER}), {@code SMTP_PASSWORD}, {@code EMAIL_FROM},
     * {@code EMAIL_TO} (comma-separated), {@code SMTP_STARTTLS} (or {@code SMTP_TLS}; default true) and
     * {@code SMTP_SSL} (false), e.g. from {@code System.getenv()}.
     *
     * @param vars variables
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is invalid
     */
    public static EmailSettings fromMap(Map<String, String> vars) {
        boolean enabled = bool(vars, "EMAIL_ENABLED", false);
        if (!enabled) {
            return disabled();
        }
        Builder b = builder().host(vars.get("SMTP_SERVER"));
        String port = vars.get("SMTP_PORT");
        if (port != null) {
            try {
                b.port(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SMTP_PORT must be an integer, but was '" + port + "'");
            }
        }
        String user = vars.get("SMTP_USERNAME") != null ? vars.get("SMTP_USERNAME") : vars.get("SMTP_USER");
        if (user != null) {
            b.login(user, vars.get("SMTP_PASSWORD"));
        }
        b.from(vars.get("EMAIL_FROM"));
        String to = vars.getOrDefault("EMAIL_TO", "");
        for (String t : to.split(",")) {
            if (!t.isBlank()) {
                b.to(t.trim());
            }
        }
        b.startTls(vars.containsKey("SMTP_STARTTLS") ? bool(vars, "SMTP_STARTTLS", true) : bool(vars, "SMTP_TLS", true));
        if (bool(vars, "SMTP_SSL", false)) {
            b.startTls(false).ssl(true);
        }
        return b.build();
    }

    @Override
    public String toString() {
        // Never print the password.
        return "EmailSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", username=" + username
                + ", from=" + from + ", to=" + to + ", startTls=" + startTls + ", ssl=" + ssl + "]";
    }

    private static boolean bool(Map<String, String> vars, String key, boolean def) {
        String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, but was '" + v + "'");
        };
    }

    private static void requireAddress(String what, String address) {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("e-mail " + what + " address is not valid: '" + address + "'");
        }
    }

    /** Builds {@link EmailSettings}; {@link #build()} validates. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private String username;
        private String password;
        private String from;
        private final List<String> to = new ArrayList<>();
        private boolean startTls = true;
        private boolean ssl;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** @param host SMTP server */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** @param port SMTP port; default 587 */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param username login @param password its password */
        public Builder login(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** @param from sender address */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /** @param address a recipient; call again for more */
        public Builder to(String address) {
            to.add(address);
            return this;
        }

        /** @param startTls require STARTTLS; default true */
        public Builder startTls(boolean startTls) {
            this.startTls = startTls;
            return this;
        }

        /** @param ssl implicit TLS (port 465); default false */
        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        /** @param timeout connect/read/write timeout; default 10 s */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @return enabled settings @throws IllegalArgumentException naming an invalid value */
        public EmailSettings build() {
            return new EmailSettings(true, host, port, username, password, from, to, startTls, ssl, timeout);
        }
    }
}
