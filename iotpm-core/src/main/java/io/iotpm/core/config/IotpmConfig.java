package io.iotpm.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed settings for everything iotpm can be configured with, covering the original system's
 * environment variables ({@code DEBUG}, {@code API_PORT}/{@code PORT}, {@code LOG_LEVEL},
 * {@code EMAIL_ENABLED}, {@code SMTP_SERVER}, {@code SECRET_KEY}, {@code KAFKA_SERVERS},
 * {@code KAFKA_TOPIC}, {@code REDIS_HOST}, {@code REDIS_PORT}) and the model, alert and dashboard
 * settings.
 *
 * <p>Each value is taken from the first of: the builder ({@link Builder#set}), the system property
 * ({@code API_PORT → iotpm.api.port}), the environment variable (then its aliases, e.g. {@code PORT}),
 * the default. Every setting is parsed and validated in {@link Builder#build()}, so a bad value fails
 * at start-up with the variable's name, where it came from and the bad value.
 *
 * <p>Instances are immutable. Nothing is read from the process environment unless the host calls
 * {@link #fromEnvironment()} or leaves the builder's environment at its default.
 */
public final class IotpmConfig {

    private static final List<Setting<?>> ALL = new ArrayList<>();

    /** {@code DEBUG}: verbose errors and logging for development; default false. */
    public static final Setting<Boolean> DEBUG = add("DEBUG", List.of(), IotpmConfig::bool, false, false,
            "verbose errors and logging for development");
    /** {@code API_PORT} (alias {@code PORT}): REST API port, 0 for an ephemeral port; default 5000. */
    public static final Setting<Integer> API_PORT = add("API_PORT", List.of("PORT"), port(), 5000, false,
            "REST API port (0 = any free port)");
    /** {@code API_HOST}: address the REST API binds to; default 127.0.0.1 (not exposed unless asked). */
    public static final Setting<String> API_HOST = add("API_HOST", List.of(), IotpmConfig::nonBlank, "127.0.0.1", false,
            "address the REST API binds to");
    /** {@code LOG_LEVEL}: TRACE, DEBUG, INFO, WARN or ERROR; default INFO. */
    public static final Setting<String> LOG_LEVEL = add("LOG_LEVEL", List.of(),
            oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"), "INFO", false, "log level for the CLI and server");
    /** {@code SECRET_KEY}: JWT signing secret, at least 32 bytes; no default. */
    public static final Setting<String> SECRET_KEY = add("SECRET_KEY", List.of(), IotpmConfig::secretKey, null, true,
            "JWT signing secret (at least 32 characters)");
    /** {@code STORAGE_URI}: where readings are stored, e.g. {@code sqlite:data/iot.db}; default {@code memory:}. */
    public static final Setting<String> STORAGE_URI = add("STORAGE_URI", List.of(), IotpmConfig::nonBlank, "memory:",
            false, "storage backend URI (memory:, csv:DIR, sqlite:FILE, postgresql://USER@HOST:PORT/DB,"
                    + " redis://HOST:PORT/DB)");
    /** {@code EMAIL_ENABLED}: send alert e-mails; default false. */
    public static final Setting<Boolean> EMAIL_ENABLED = add("EMAIL_ENABLED", List.of(), IotpmConfig::bool, false,
            false, "send alert e-mails over SMTP");
    /** {@code SMTP_SERVER}: SMTP host; default {@code localhost}. */
    public static final Setting<String> SMTP_SERVER = add("SMTP_SERVER", List.of(), IotpmConfig::nonBlank, "localhost",
            false, "SMTP host");
    /** {@code SMTP_PORT}: SMTP port; default 587. */
    public static final Setting<Integer> SMTP_PORT = add("SMTP_PORT", List.of(), port(), 587, false, "SMTP port");
    /** {@code SMTP_USERNAME}: SMTP login; default none. */
    public static final Setting<String> SMTP_USERNAME = add("SMTP_USERNAME", List.of(), IotpmConfig::nonBlank, null,
            false, "SMTP user name");
    /** {@code SMTP_PASSWORD}: SMTP password; default none. */
    public static final Setting<String> SMTP_PASSWORD = add("SMTP_PASSWORD", List.of(), s -> s, null, true,
            "SMTP password");
    /** {@code SMTP_STARTTLS}: require STARTTLS; default true. */
    public static final Setting<Boolean> SMTP_STARTTLS = add("SMTP_STARTTLS", List.of(), IotpmConfig::bool, true,
            false, "require STARTTLS");
    /** {@code EMAIL_FROM}: sender address; default {@code iotpm@localhost}. */
    public static final Setting<String> EMAIL_FROM = add("EMAIL_FROM", List.of(), IotpmConfig::email, "iotpm@localhost",
            false, "alert e-mail sender");
    /** {@code EMAIL_TO}: comma-separated recipients; default none. */
    public static final Setting<List<String>> EMAIL_TO = add("EMAIL_TO", List.of(), IotpmConfig::emails, List.of(),
            false, "alert e-mail recipients, comma-separated");
    /** {@code KAFKA_SERVERS}: Kafka bootstrap servers; default {@code localhost:9092}. */
    public static final Setting<String> KAFKA_SERVERS = add("KAFKA_SERVERS", List.of(), IotpmConfig::nonBlank,
            "localhost:9092", false, "Kafka bootstrap servers");
    /** {@code KAFKA_TOPIC}: readings topic; default {@code iot_sensor_data} (the original system's topic). */
    public static final Setting<String> KAFKA_TOPIC = add("KAFKA_TOPIC", List.of(), IotpmConfig::nonBlank,
            "iot_sensor_data", false, "Kafka topic for readings");
    /** {@code REDIS_HOST}: Redis host; default {@code localhost}. */
    public static final Setting<String> REDIS_HOST = add("REDIS_HOST", List.of(), IotpmConfig::nonBlank, "localhost",
            false, "Redis host");
    /** {@code REDIS_PORT}: Redis port; default 6379. */
    public static final Setting<Integer> REDIS_PORT = add("REDIS_PORT", List.of(), port(), 6379, false, "Redis port");
    /** {@code REDIS_PASSWORD}: password of the {@code redis://} storage backend, never put in its URI; default none. */
    public static final Setting<String> REDIS_PASSWORD = add("REDIS_PASSWORD", List.of(), s -> s, null, true,
            "Redis password (redis:// storage)");
    /** {@code MQTT_URL}: MQTT broker devices publish to, {@code tcp://host:1883} or {@code ssl://host:8883}; default none (an embedded broker where one is needed). */
    public static final Setting<String> MQTT_URL = add("MQTT_URL", List.of(), IotpmConfig::mqttUrl, null, false,
            "MQTT broker URL (tcp:// or ssl://)");
    /** {@code MQTT_USERNAME}: user name at the MQTT broker; default none. */
    public static final Setting<String> MQTT_USERNAME = add("MQTT_USERNAME", List.of(), IotpmConfig::nonBlank, null,
            false, "MQTT user name");
    /** {@code MQTT_PASSWORD}: password at the MQTT broker; default none. */
    public static final Setting<String> MQTT_PASSWORD = add("MQTT_PASSWORD", List.of(), s -> s, null, true,
            "MQTT password");
    /** {@code MODEL_SEQUENCE_LENGTH}: readings per model window; default 60 (the original's 60 minutes). */
    public static final Setting<Integer> MODEL_SEQUENCE_LENGTH = add("MODEL_SEQUENCE_LENGTH", List.of(),
            intIn(2, 10_000), 60, false, "readings per model window");
    /** {@code MODEL_HORIZON}: steps ahead a failure is predicted; default 10. */
    public static final Setting<Integer> MODEL_HORIZON = add("MODEL_HORIZON", List.of(), intIn(1, 100_000), 10, false,
            "steps ahead a failure is predicted");
    /** {@code MODEL_EPOCHS}: training epochs; default 50. */
    public static final Setting<Integer> MODEL_EPOCHS = add("MODEL_EPOCHS", List.of(), intIn(1, 10_000), 50, false,
            "maximum training epochs");
    /** {@code MODEL_BATCH_SIZE}: training batch size; default 200. */
    public static final Setting<Integer> MODEL_BATCH_SIZE = add("MODEL_BATCH_SIZE", List.of(), intIn(1, 100_000), 200,
            false, "training batch size");
    /** {@code MODEL_DIR}: where trained models are saved; default {@code models}. */
    public static final Setting<String> MODEL_DIR = add("MODEL_DIR", List.of(), IotpmConfig::nonBlank, "models", false,
            "folder for trained models");
    /** {@code ALERT_COOLDOWN}: minimum time between notifications of one alert; default 15 minutes. */
    public static final Setting<Duration> ALERT_COOLDOWN = add("ALERT_COOLDOWN", List.of(), IotpmConfig::duration,
            Duration.ofMinutes(15), false, "minimum time between notifications of one alert (e.g. 15m, PT15M)");
    /** {@code DASHBOARD_REFRESH}: dashboard refresh interval for polled views; default 5 seconds. */
    public static final Setting<Duration> DASHBOARD_REFRESH = add("DASHBOARD_REFRESH", List.of(), IotpmConfig::duration,
            Duration.ofSeconds(5), false, "dashboard refresh interval for polled views");
    /** {@code DATA_RETENTION}: how long readings are kept; default 90 days. */
    public static final Setting<Duration> DATA_RETENTION = add("DATA_RETENTION", List.of(), IotpmConfig::duration,
            Duration.ofDays(90), false, "how long readings are kept");
    /** {@code MANAGEMENT_PORT}: port serving {@code /metrics} and the health probes without a token; default none (off). */
    public static final Setting<Integer> MANAGEMENT_PORT = add("MANAGEMENT_PORT", List.of(), port(), null, false,
            "management port: /metrics and health probes without a token (off when unset)");
    /** {@code EVENT_RETENTION}: how long failure and maintenance events are kept (at most as long as readings); default 90 days. */
    public static final Setting<Duration> EVENT_RETENTION = add("EVENT_RETENTION", List.of(), IotpmConfig::duration,
            Duration.ofDays(90), false, "how long events are kept (at most DATA_RETENTION)");
    /** {@code ALERT_HISTORY_RETENTION}: how long resolved alerts stay in the alert history; default 365 days. */
    public static final Setting<Duration> ALERT_HISTORY_RETENTION = add("ALERT_HISTORY_RETENTION", List.of(),
            IotpmConfig::duration, Duration.ofDays(365), false, "how long the alert history is kept");
    /** {@code RETENTION_INTERVAL}: how often the retention task runs; default 1 hour. */
    public static final Setting<Duration> RETENTION_INTERVAL = add("RETENTION_INTERVAL", List.of(),
            IotpmConfig::duration, Duration.ofHours(1), false, "how often old data is removed");

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> sources;

    private IotpmConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    /**
     * Reads every setting from system properties and the process environment.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public static IotpmConfig fromEnvironment() {
        return builder().build();
    }

    /** @return a builder reading {@link System#getenv()} and {@link System#getProperties()} unless told otherwise */
    public static Builder builder() {
        return new Builder();
    }

    /** @return every known setting, in documentation order */
    public static List<Setting<?>> settings() {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * @param setting a setting
     * @param <T>     its type
     * @return its value, or {@code null} when it has no default and is not set
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /**
     * @param setting a setting
     * @return where its value came from: {@code builder}, {@code system property iotpm.x},
     * {@code environment X} or {@code default}
     */
    public String source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** @return {@link #DEBUG} */
    public boolean debug() {
        return get(DEBUG);
    }

    /** @return {@link #API_PORT} */
    public int apiPort() {
        return get(API_PORT);
    }

    /** @return {@link #SECRET_KEY}, or {@code null} when not set */
    public String secretKey() {
        return get(SECRET_KEY);
    }

    /** @return {@link #EMAIL_ENABLED} */
    public boolean emailEnabled() {
        return get(EMAIL_ENABLED);
    }

    /** @return {@link #SMTP_SERVER} */
    public String smtpServer() {
        return get(SMTP_SERVER);
    }

    /** @return {@link #STORAGE_URI} */
    public String storageUri() {
        return get(STORAGE_URI);
    }

    /** @return every setting with its value (secrets masked) and source, one per line */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("IotpmConfig[");
        for (Setting<?> s : ALL) {
            Object v = values.get(s);
            b.append("\n  ").append(s.name()).append('=')
                    .append(s.secret() && v != null ? "***" : v).append(" (").append(sources.get(s)).append(')');
        }
        return b.append("\n]").toString();
    }

    /** Collects overrides and the sources to read; {@link #build()} parses and validates everything. */
    public static final class Builder {
        private final Map<Setting<?>, Object> overrides = new HashMap<>();
        private Map<String, String> environment;
        private Properties properties;

        private Builder() {
        }

        /**
         * Sets a value directly; it wins over system properties and the environment.
         *
         * @param setting the setting
         * @param value   its value; {@code null} clears an earlier override
         * @param <T>     its type
         */
        public <T> Builder set(Setting<T> setting, T value) {
            Objects.requireNonNull(setting, "setting");
            if (value == null) {
                overrides.remove(setting);
            } else {
                overrides.put(setting, value);
            }
            return this;
        }

        /**
         * Sets a value from text, parsed and validated like an environment variable.
         *
         * @throws IllegalArgumentException naming the setting and the bad value
         */
        public <T> Builder parse(Setting<T> setting, String text) {
            return set(setting, setting.parse(text, "builder"));
        }

        /** @param environment the environment to read; default {@link System#getenv()} */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** @param properties the system properties to read; default {@link System#getProperties()} */
        public Builder systemProperties(Properties properties) {
            Properties copy = new Properties();
            copy.putAll(properties);
            this.properties = copy;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting whose value is invalid
         */
        public IotpmConfig build() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Properties props = properties != null ? properties : System.getProperties();
            Map<Setting<?>, Object> values = new LinkedHashMap<>();
            Map<Setting<?>, String> sources = new LinkedHashMap<>();
            for (Setting<?> s : ALL) {
                resolve(s, env, props, values, sources);
            }
            return new IotpmConfig(values, sources);
        }

        private void resolve(Setting<?> s, Map<String, String> env, Properties props,
                             Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
            if (overrides.containsKey(s)) {
                values.put(s, overrides.get(s));
                sources.put(s, "builder");
                return;
            }
            String p = props.getProperty(s.property());
            if (p != null) {
                values.put(s, s.parse(p, "system property " + s.property()));
                sources.put(s, "system property " + s.property());
                return;
            }
            List<String> names = new ArrayList<>();
            names.add(s.name());
            names.addAll(s.aliases());
            for (String n : names) {
                String e = env.get(n);
                if (e != null) {
                    // Use the alias's own name in errors: the user set PORT, not API_PORT.
                    Setting<?> named = n.equals(s.name()) ? s
                            : new Setting<>(n, List.of(), s.property(), s.parser(), null, s.secret(), s.description());
                    values.put(s, named.parse(e, "environment"));
                    sources.put(s, "environment " + n);
                    return;
                }
            }
            values.put(s, s.defaultValue());
            sources.put(s, "default");
        }
    }

    private static <T> Setting<T> add(String env, List<String> aliases, Function<String, T> parser, T def,
                                      boolean secret, String description) {
        Setting<T> s = new Setting<>(env, aliases, Setting.propertyFor(env), parser, def, secret, description);
        ALL.add(s);
        return s;
    }

    static String mqttUrl(String s) {
        if (!s.matches("(tcp|ssl)://[^/\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException("must be tcp://host:port or ssl://host:port, but was '" + s + "'");
        }
        return s;
    }

    static Boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true/false (or 1/0, yes/no, on/off)");
        };
    }

    static Function<String, Integer> intIn(int min, int max) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer in [" + min + ", " + max + "]");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be an integer in [" + min + ", " + max + "]");
            }
            return v;
        };
    }

    static Function<String, Integer> port() {
        return intIn(0, 65_535);
    }

    static String nonBlank(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return s;
    }

    static String secretKey(String s) {
        if (s.length() < 32) {
            throw new IllegalArgumentException("must be at least 32 characters (" + s.length() + " given)");
        }
        return s;
    }

    static String email(String s) {
        int at = s.indexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.indexOf('@', at + 1) >= 0 || s.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("must be an e-mail address like name@example.com");
        }
        return s;
    }

    static List<String> emails(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(email(part.trim()));
            }
        }
        return List.copyOf(out);
    }

    static Function<String, String> oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return s -> {
            String u = s.toUpperCase(Locale.ROOT);
            if (!set.contains(u)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }
            return u;
        };
    }

    static Duration duration(String s) {
        try {
            if (s.regionMatches(true, 0, "P", 0, 1)) {
                return positive(Duration.parse(s));
            }
            String n = s.replaceAll("[a-zA-Z]+$", "");
            String unit = s.substring(n.length()).toLowerCase(Locale.ROOT);
            long v = Long.parseLong(n.trim());
            return positive(switch (unit) {
                case "ms" -> Duration.ofMillis(v);
                case "s", "" -> Duration.ofSeconds(v);
                case "m", "min" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                case "d" -> Duration.ofDays(v);
                default -> throw new IllegalArgumentException("unit");
            });
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must be a positive duration like 90s, 15m, 2h, 30d or PT15M");
        }
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("not positive");
        }
        return d;
    }
}
