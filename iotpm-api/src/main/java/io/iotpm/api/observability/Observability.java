package io.iotpm.api.observability;

import io.iotpm.micrometer.IotpmBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@code IotpmServer} exposes itself to a platform: Prometheus metrics and readiness checks.
 *
 * <ul>
 *   <li>{@code GET /metrics} (Prometheus text format) is always served on the API port, to the {@code admin}
 *       role only: its figures describe the whole installation.</li>
 *   <li>A Prometheus server cannot log in for an expiring JWT, so a separate <em>management port</em>
 *       ({@link Builder#managementPort(int)}, off by default) serves {@code /metrics},
 *       {@code /api/health/live} and {@code /api/health/ready} without a token. It binds
 *       {@link Builder#managementHost(String)} (loopback by default); expose it only on a network the
 *       scraper and the orchestrator share.</li>
 *   <li>{@code /api/health/live} and {@code /api/health/ready} are public on the API port too, like the
 *       original {@code /api/health}.</li>
 * </ul>
 *
 * <p>The server always binds its hub's and alert manager's meters; {@link Builder#binder(IotpmBinder)} adds
 * more (a pipeline, Kafka, MQTT). Built-in readiness checks: {@code storage} (a probe read), {@code hub} (open,
 * when configured) and {@code model} (a predictor is loaded; informational unless {@link Builder#requireModel}).
 */
public final class Observability {

    /** Default time limit of one readiness check. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final int managementPort;
    private final String managementHost;
    private final PrometheusMeterRegistry registry;
    private final List<IotpmBinder> binders;
    private final Map<String, Check> checks;
    private final boolean jvmMetrics;
    private final boolean requireModel;
    private final Duration checkTimeout;

    private Observability(Builder b) {
        this.managementPort = b.managementPort;
        this.managementHost = b.managementHost;
        this.registry = b.registry;
        this.binders = List.copyOf(b.binders);
        this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(b.checks));
        this.jvmMetrics = b.jvmMetrics;
        this.requireModel = b.requireModel;
        this.checkTimeout = b.checkTimeout;
    }

    /** @return a builder with the defaults: no management port, a server-owned registry, JVM metrics on */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults ({@code builder().build()}) */
    public static Observability defaults() {
        return builder().build();
    }

    /** @return the management port, 0 for an ephemeral one, -1 when off */
    public int managementPort() {
        return managementPort;
    }

    /** @return the address the management port binds */
    public String managementHost() {
        return managementHost;
    }

    /** @return the host's registry, or {@code null} for one the server creates and closes */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** @return the extra binders, bound when the server starts and closed when it stops */
    public List<IotpmBinder> binders() {
        return binders;
    }

    /** @return the host's readiness checks by name, in registration order */
    public Map<String, Check> checks() {
        return checks;
    }

    /** @return whether the server binds Micrometer's JVM and process meters to a registry it creates */
    public boolean jvmMetrics() {
        return jvmMetrics;
    }

    /** @return whether readiness fails while no model is loaded */
    public boolean requireModel() {
        return requireModel;
    }

    /** @return the time limit of one readiness check */
    public Duration checkTimeout() {
        return checkTimeout;
    }

    /**
     * A registered readiness check.
     *
     * @param check    the check
     * @param critical whether its failure makes the server not ready (otherwise it is only reported)
     */
    public record Check(HealthCheck check, boolean critical) {
    }

    /** Configures an {@link Observability}; {@link #build()} may be called again after more changes. */
    public static final class Builder {

        private int managementPort = -1;
        private String managementHost = "127.0.0.1";
        private PrometheusMeterRegistry registry;
        private final List<IotpmBinder> binders = new ArrayList<>();
        private final Map<String, Check> checks = new LinkedHashMap<>();
        private boolean jvmMetrics = true;
        private boolean requireModel;
        private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;

        private Builder() {
        }

        /**
         * Serves {@code /metrics} and the health probes without a token on this port. Default: off.
         *
         * @param port 1-65535, or 0 for an ephemeral one (tests), or -1 for off
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder managementPort(int port) {
            if (port < -1 || port > 65_535) {
                throw new IllegalArgumentException("management port must be -1 (off) or 0-65535, but was " + port);
            }
            this.managementPort = port;
            return this;
        }

        /**
         * @param host the address the management port binds; default {@code 127.0.0.1}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder managementHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("management host must not be blank, but was '" + host + "'");
            }
            this.managementHost = host;
            return this;
        }

        /**
         * Uses the host's registry (with its own meters) instead of one the server creates; the server then
         * neither adds JVM meters to it nor closes it.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder registry(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds a binder (e.g. {@code new MonitoringPipelineMetrics(pipeline, "main")}); the server binds it on
         * start, refreshes it before each scrape and closes it on stop.
         *
         * @param binder the binder, not yet bound
         * @return this builder
         */
        public Builder binder(IotpmBinder binder) {
            binders.add(Objects.requireNonNull(binder, "binder"));
            return this;
        }

        /**
         * Adds a critical readiness check.
         *
         * @param name  its name in the readiness report
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or taken
         */
        public Builder check(String name, HealthCheck check) {
            return check(name, check, true);
        }

        /**
         * Adds a readiness check.
         *
         * @param name     its name in the readiness report ({@code storage}, {@code hub} and {@code model} are
         *                 the built-in ones)
         * @param check    the check
         * @param critical whether its failure makes the server not ready
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or taken
         */
        public Builder check(String name, HealthCheck check, boolean critical) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("check name must not be blank, but was '" + name + "'");
            }
            if (List.of("storage", "hub", "model").contains(name) || checks.containsKey(name)) {
                throw new IllegalArgumentException("check name '" + name + "' is taken");
            }
            checks.put(name, new Check(Objects.requireNonNull(check, "check"), critical));
            return this;
        }

        /**
         * @param on whether a server-created registry gets Micrometer's JVM memory, thread, class-loader,
         *           processor, uptime and file-descriptor meters; default {@code true}
         * @return this builder
         */
        public Builder jvmMetrics(boolean on) {
            this.jvmMetrics = on;
            return this;
        }

        /**
         * @param require whether readiness fails while no model is loaded; default {@code false}, because the
         *                API itself can train the first one
         * @return this builder
         */
        public Builder requireModel(boolean require) {
            this.requireModel = require;
            return this;
        }

        /**
         * @param timeout time limit of one readiness check; default {@link #DEFAULT_CHECK_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("check timeout must be positive, but was " + timeout);
            }
            this.checkTimeout = timeout;
            return this;
        }

        /** @return the settings */
        public Observability build() {
            return new Observability(this);
        }
    }
}
